/**
 * The notices of the run (a divergence, a change of backend, a refused file or link, a model
 * accepted), always in view above the panels: newest first, a repeat merged into one entry with
 * its count, each closable. The newest error is an alert (read out at once); the rest sit in a
 * polite live region. Only the newest few are open; the older ones wait behind a button, so the
 * stack never pushes the panels off a small screen.
 */
import { useId, useState } from 'react';
import { dismissAllNotices, dismissNotice, usePlayground, type Notice } from '../store/store';
import './notices.css';

/** Notices that change how the run must be read: shown large. */
const PROMINENT = new Set<Notice['code']>(['diverged', 'fallback', 'crash', 'worker-error']);
const LEVEL_WORD: Record<Notice['level'], string> = { ok: 'Done', info: 'Note', warning: 'Warning', error: 'Error' };
const LEVEL_ICON: Record<Notice['level'], string> = { ok: '✓', info: 'ℹ', warning: '⚠', error: '✖' };
const CODE_WORD: Partial<Record<Notice['code'], string>> = { diverged: 'Training diverged', fallback: 'Backend changed', crash: 'Worker restarted' };
/** how many notices are open before "older" */
export const OPEN_NOTICES = 3;

function NoticeItem({ n, alert }: { n: Notice; alert: boolean }) {
  const textId = useId();
  return (
    <li className={`st-notice st-${n.level}${PROMINENT.has(n.code) ? ' st-prominent' : ''}`} role={alert ? 'alert' : undefined} data-code={n.code} data-count={n.count}>
      <span className="st-icon" aria-hidden="true">
        {LEVEL_ICON[n.level]}
      </span>
      <span id={textId} className="st-text">
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
  const newestError = notices.find((n) => n.level === 'error');
  const open = showOlder ? notices : notices.slice(0, OPEN_NOTICES);
  const older = notices.length - OPEN_NOTICES;
  return (
    <section className="notices" aria-label="Notices" hidden={!notices.length}>
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
