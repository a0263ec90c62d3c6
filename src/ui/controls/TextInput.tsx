/**
 * Paste your own text for the character model. The worker validates it (size, characters) and
 * explains a refusal; the text is only ever shown as text, never as HTML.
 */
import { useState } from 'react';
import { setText } from '../../store/controller';
import { MAX_TEXT_CHARS } from '../../engine/tasks/charLm';

export function TextInput() {
  const [draft, setDraft] = useState('');
  const tooBig = draft.length > MAX_TEXT_CHARS;
  return (
    <div className="field text-input" title="Train on your own text instead of the Book of Genesis.">
      <label htmlFor="user-text">Your text</label>
      <textarea
        id="user-text"
        rows={3}
        value={draft.length > 20_000 ? `${draft.slice(0, 20_000)}…` : draft}
        placeholder="Paste a text (at least a few hundred characters)…"
        onChange={(e) => setDraft(e.target.value)}
        onPaste={(e) => {
          e.preventDefault();
          setDraft(e.clipboardData.getData('text/plain'));
        }}
      />
      <span className="hint">{tooBig ? `Too long: ${draft.length.toLocaleString()} characters (limit ${MAX_TEXT_CHARS.toLocaleString()}).` : `${draft.length.toLocaleString()} characters`}</span>
      <button type="button" disabled={!draft || tooBig} onClick={() => setText(draft)}>
        Train on this text
      </button>
    </div>
  );
}
