/**
 * Sharing: a link that reproduces the run (optionally hiding controls, or showing one panel for
 * a slide), the `<iframe>` code that embeds a panel, and copying either to the clipboard.
 */
import { lessonConfig } from '../lessons/lessons';
import { EMBED_SIZE, type EmbedPanel } from '../store/embed';
import { addNotice } from '../store/store';
import { encodeUrl } from '../store/urlState';
import type { PlaygroundConfig } from '../worker/config';

/** Copies to the clipboard and says so; where the clipboard is refused, the notice shows the text. */
export async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    addNotice('info', 'live-change', `${what} copied to the clipboard.`);
  } catch {
    addNotice('info', 'live-change', `${what}: ${text}`);
  }
}

export function linkFor(config: PlaygroundConfig, hidden: (keyof PlaygroundConfig)[], lesson: string | null, embed: EmbedPanel | null = null): string {
  return `${location.origin}${location.pathname}${encodeUrl(config, hidden, lesson, lessonConfig(lesson), embed)}`;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The HTML that shows `panel` of this run in a page or a slide. */
export function embedCode(link: string, title: string): string {
  return `<iframe src="${escapeAttr(link)}" title="${escapeAttr(title)}" width="${EMBED_SIZE.width}" height="${EMBED_SIZE.height}" style="border: 0" loading="lazy" allow="clipboard-write"></iframe>`;
}
