/**
 * The notices of the run (a divergence, a change of backend, a refused file or link, a model
 * accepted), always in view above the panels: newest first, a repeat merged into one entry with
 * its count, each closable. The newest error is an alert (read out at once); the rest sit in a
 * polite live region. Only the newest few are open (one on a phone, where the stack stays at the
 * top of the window while the page scrolls); the older ones wait behind a button, so the stack
 * never hides the panels.
 */
import { useId, useState, useSyncExternalStore } from 'react';
import { dismissAllNotices, dismissNotice, usePlayground, type Notice } from '../store/store';
import './notices.css';

/** Notices that change how the run must be read: shown large. */
const PROMINENT = new Set<Notice['code']>(['diverged', 'fallback', 'crash', 'worker-error']);
const LEVEL_WORD: Record<Notice['level'], string> = { ok: 'Done', info: 'Note', warning: 'Warning', error: 'Error' };
const LEVEL_ICON: Record<Notice['level'], string> = { ok: '✓', info: 'ℹ', warning: '⚠', error: '✖' };
const CODE_WORD: Partial<Record<Notice['code'], string>> = { diverged: 'Training diverged', fallback: 'Backend changed', crash: 'Worker restarted' };
/** how many notices are open before "older": on a wide screen, and on a phone */
const OPEN_WIDE = 2;
const OPEN_NARROW = 1;
const NARROW = '(max-width: 760px)';

function useNarrow(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const m = matchMedia(NARROW);
      m.addEventListener('change', changed);
      return () => m.removeEventListener('change', changed);
    },
    () => matchMedia(NARROW).matches,
  );
}

function NoticeItem({ n, alert }: { n: Notice; alert: boolean }) {
  const textId = useId();
  return (
    <li className={`st-notice st-${n.level}${PROMINENT.has(n.code) ? ' st-prominent' : ''}`} data-code={n.code} data-count={n.count}>
      <span className="st-icon" aria-hidden="true">
        {LEVEL_ICON[n.level]}
      </span>
      {/* the alert role sits inside the list item: a list holds only list items */}
      <span id={textId} className="st-text" role={alert ? 'alert' : undefined}>
        <strong>{CODE_WORD[n.code] ?? LEVEL_WORD[n.level]}:</strong> {n.message}
        {n.count > 1 && (
          <span className="st-count" title={`This message came ${n.count} times`}>
            {' '}
            ×{n.count}
          </span>
        )}
      </span>
      <button type="button" className="st-dismiss" aria-label="Dismiss notice" aria-describedby={textId} onClick={() => dismissNotice(n.id)}>
        ×
      </button>
    </li>
  );
}

export function Notices() {
  const notices = usePlayground((s) => s.notices);
  const [showOlder, setShowOlder] = useState(false);
  const openCount = useNarrow() ? OPEN_NARROW : OPEN_WIDE;
  const newestError = notices.find((n) => n.level === 'error');
  const open = showOlder ? notices : notices.slice(0, openCount);
  const older = notices.length - openCount;
  return (
    // Always in the page, empty or not: a live region must exist before what it announces.
    <section className={`notices${notices.length ? '' : ' notices-empty'}`} aria-label="Notices">
      <ul className="st-notices" aria-live="polite">
        {open.map((n) => (
          <NoticeItem key={n.id} n={n} alert={n === newestError} />
        ))}
      </ul>
      {notices.length > 1 && (
        <div className="notices-more">
          {older > 0 && (
            <button type="button" aria-expanded={showOlder} onClick={() => setShowOlder((v) => !v)}>
              {showOlder ? 'Show fewer' : `${older} older`}
            </button>
          )}
          <button type="button" onClick={dismissAllNotices}>
            Dismiss all
          </button>
        </div>
      )}
    </section>
  );
}
