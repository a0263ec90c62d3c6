/**
 * A row of toggle buttons that picks what a small panel shows (one chart at a time on a laptop,
 * all of them where there is room). Plain buttons with aria-pressed: reachable by Tab, worked by
 * Enter or Space, readable by a screen reader.
 */
import './charts.css';

export interface ViewOption<V extends string> {
  value: V;
  label: string;
  /** a longer description for the tooltip and screen readers */
  title?: string;
}

export interface ViewSwitchProps<V extends string> {
  label: string;
  options: ViewOption<V>[];
  value: V;
  onChange: (v: V) => void;
  className?: string;
}

export function ViewSwitch<V extends string>({ label, options, value, onChange, className }: ViewSwitchProps<V>) {
  if (options.length < 2) return null;
  return (
    <div className={`sp-switch ${className ?? ''}`} role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={o.value === value} title={o.title} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

