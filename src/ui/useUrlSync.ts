import { useEffect } from 'react';
import { addNotice, usePlayground } from '../store/store';
import { decodeUrl, encodeUrl } from '../store/urlState';
import { LESSONS, lessonConfig } from '../lessons/lessons';

/** Reads the settings from the URL once (bad values → defaults, an unknown lesson → none, a
 *  model too costly per step → a smaller one; each with a notice). */
export function readUrlIntoStore(search: string): void {
  const { config, hidden, lesson, embed, problems } = decodeUrl(search, lessonConfig, LESSONS.map((l) => l.id));
  usePlayground.setState({ config, hidden, lesson, embed });
  if (problems.length) addNotice('warning', 'url', `Some settings in the link could not be used: ${problems.join(' ')}`);
}

/** Keeps the address bar equal to the current settings (replaceState: no history spam). */
export function useUrlSync(): void {
  const config = usePlayground((s) => s.config);
  const hidden = usePlayground((s) => s.hidden);
  const lesson = usePlayground((s) => s.lesson);
  const embed = usePlayground((s) => s.embed);
  useEffect(() => {
    const search = encodeUrl(config, hidden, lesson, lessonConfig(lesson), embed);
    if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}`);
  }, [config, hidden, lesson, embed]);
}
