/**
 * The left column: every setting, read from the settings table (src/settings/table.ts) and grouped
 * as a lecture would introduce them (task → model → initialization → training → run). Live
 * settings apply at the next step; the others restart. A value that is out of range, not a
 * number, or too costly per step is refused with a message beside its field.
 */
import { useState, type ReactNode } from 'react';
import { checkConfig } from '../../settings/check';
import { labelOf, readTyped, ROWS, type AnyRow, type Group, type PlaygroundConfig, type SettingKey } from '../../settings/table';
import { setConfig } from '../../store/controller';
import { usePlayground } from '../../store/store';
import { isSuccessorKind } from '../../engine/successors/spec';
import { HOW_IT_STARTS } from '../panels/successorText';
import { EigenPreview } from './EigenPreview';
import { Group as FieldGroup, LogSlider, NumberField, SelectField, Toggle } from './fields';
import { TextInput } from './TextInput';

const GROUPS: Group[] = ['Task', 'Model', 'Initialization', 'Training', 'Run'];

/** What a group shows after its settings. */
const EXTRAS: Partial<Record<Group, (c: PlaygroundConfig) => ReactNode>> = {
  Task: (c) => c.task === 'char_lm' && <TextInput />,
  // the RNN's W_hh eigenvalue preview, or how a successor block starts (its settings above are the RNN's)
  Initialization: (c) => (isSuccessorKind(c.cell) ? <p className="ctl-note" data-testid="successor-init">{HOW_IT_STARTS[c.cell]}</p> : <EigenPreview />),
};

export function Controls() {
  const c = usePlayground((s) => s.config);
  const hidden = new Set(usePlayground((s) => s.hidden));
  const [error, setError] = useState<{ key: SettingKey; message: string } | null>(null);

  /** Takes a value for a setting, or says why not (and leaves the settings as they are). */
  const commit = (row: AnyRow, value: unknown): string | null => {
    const next = { ...c, [row.key]: value } as PlaygroundConfig;
    const message = c[row.key] === value ? null : checkConfig(next, c);
    setError(message ? { key: row.key, message } : null);
    if (!message && c[row.key] !== value) setConfig({ [row.key]: value } as Partial<PlaygroundConfig>);
    return message;
  };
  const commitText = (row: AnyRow, text: string): string | null => {
    const typed = readTyped(row, text);
    if (typed.ok) return commit(row, typed.value);
    setError({ key: row.key, message: typed.message });
    return typed.message;
  };

  const control = (row: AnyRow) => {
    const { label, hint } = labelOf(row, c);
    const common = { label, hint, testId: row.testId, error: error?.key === row.key ? error.message : null, hidden: hidden.has(row.key) || (row.visible ? !row.visible(c) : false) };
    switch (row.kind) {
      case 'choice':
        return <SelectField key={row.key} {...common} value={c[row.key] as string} options={row.options} onChange={(v) => commit(row, v)} />;
      case 'bool':
        return <Toggle key={row.key} {...common} value={c[row.key] as boolean} onChange={(v) => commit(row, v)} />;
      case 'log':
        return <LogSlider key={row.key} {...common} value={c[row.key] as number} min={row.min} max={row.max} onChange={(v) => commit(row, v)} />;
      default:
        return <NumberField key={row.key} {...common} value={c[row.key] as number} min={row.min} max={row.max} integer={row.kind === 'int'} commit={(text) => commitText(row, text)} />;
    }
  };

  return (
    <aside className="controls" aria-label="Settings">
      {GROUPS.map((g) => (
        <FieldGroup key={g} title={g}>
          {ROWS.filter((r) => r.group === g).map(control)}
          {EXTRAS[g]?.(c)}
        </FieldGroup>
      ))}
    </aside>
  );
}
