/**
 * Labelled form controls. Each carries its one-line explanation as a tooltip and as the
 * accessible description, so the hover hint also reaches a screen reader.
 */
import { useId, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  hint: string;
  hidden?: boolean;
  children: (id: string, hintId: string) => ReactNode;
}

function Field({ label, hint, hidden, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  if (hidden) return null;
  return (
    <div className="field" title={hint}>
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      <span id={hintId} className="visually-hidden">
        {hint}
      </span>
    </div>
  );
}

export function SelectField<T extends string>(props: { label: string; hint: string; value: T; options: readonly (readonly [T, string])[]; onChange: (v: T) => void; hidden?: boolean; testId?: string }) {
  return (
    <Field label={props.label} hint={props.hint} hidden={props.hidden}>
      {(id, hintId) => (
        <select id={id} aria-describedby={hintId} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value as T)}>
          {props.options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A number input that commits on change only when the value is valid (within [min, max]). */
export function NumberField(props: { label: string; hint: string; value: number; min: number; max: number; step?: number; integer?: boolean; onChange: (v: number) => void; hidden?: boolean; testId?: string }) {
  return (
    <Field label={props.label} hint={props.hint} hidden={props.hidden}>
      {(id, hintId) => (
        <input
          id={id}
          aria-describedby={hintId}
          type="number"
          data-testid={props.testId}
          min={props.min}
          max={props.max}
          step={props.step ?? (props.integer ? 1 : 'any')}
          defaultValue={props.value}
          key={props.value}
          onBlur={(e) => commit(e.currentTarget, props)}
          onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget, props)}
        />
      )}
    </Field>
  );
}

function commit(el: HTMLInputElement, p: { value: number; min: number; max: number; integer?: boolean; onChange: (v: number) => void }): void {
  const v = Number(el.value);
  const ok = el.value.trim() !== '' && Number.isFinite(v) && v >= p.min && v <= p.max && (!p.integer || Number.isInteger(v));
  if (!ok) {
    el.value = String(p.value); // refuse quietly back to the current value; the range is in the hint
    return;
  }
  if (v !== p.value) p.onChange(v);
}

/** A logarithmic slider (learning rates span decades), with the value shown beside it. */
export function LogSlider(props: { label: string; hint: string; value: number; min: number; max: number; onChange: (v: number) => void; hidden?: boolean; testId?: string }) {
  const toPos = (v: number) => Math.round((1000 * Math.log(v / props.min)) / Math.log(props.max / props.min));
  const fromPos = (p: number) => Number((props.min * Math.pow(props.max / props.min, p / 1000)).toPrecision(2));
  return (
    <Field label={props.label} hint={props.hint} hidden={props.hidden}>
      {(id, hintId) => (
        <span className="slider-row">
          <input
            id={id}
            aria-describedby={hintId}
            aria-valuetext={String(props.value)}
            type="range"
            min={0}
            max={1000}
            data-testid={props.testId}
            value={toPos(Math.max(props.min, props.value))}
            onChange={(e) => props.onChange(fromPos(Number(e.target.value)))}
          />
          <output htmlFor={id}>{props.value}</output>
        </span>
      )}
    </Field>
  );
}

export function Toggle(props: { label: string; hint: string; value: boolean; onChange: (v: boolean) => void; hidden?: boolean; testId?: string }) {
  const id = useId();
  if (props.hidden) return null;
  return (
    <div className="field toggle" title={props.hint}>
      <input id={id} type="checkbox" checked={props.value} data-testid={props.testId} aria-describedby={`${id}-hint`} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
      <span id={`${id}-hint`} className="visually-hidden">
        {props.hint}
      </span>
    </div>
  );
}

export function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
