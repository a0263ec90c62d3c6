/**
 * Labelled form controls. Each carries its one-line explanation as a tooltip and as the
 * accessible description, so the hover hint also reaches a screen reader; a refused value gets
 * a message beside the field (role="alert", so a screen reader says it too).
 */
import { useId, type ReactNode } from 'react';
import './controls.css';

interface FieldProps {
  label: string;
  hint: string;
  hidden?: boolean;
  /** why the last value was refused, shown beside the field until the next valid edit */
  error?: string | null;
  testId?: string;
  children: (id: string, hintId: string) => ReactNode;
}

function Field({ label, hint, hidden, error, testId, children }: FieldProps) {
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
      <FieldError error={error} testId={testId} />
    </div>
  );
}

function FieldError({ error, testId }: { error?: string | null; testId?: string }) {
  if (!error) return null;
  return (
    <span className="field-error" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
      {error}
    </span>
  );
}

/** Shared by every field: its error, and where its test id goes. */
interface Common {
  label: string;
  hint: string;
  hidden?: boolean;
  error?: string | null;
  testId?: string;
}

export function SelectField<T extends string>(props: Common & { value: T; options: readonly (readonly [T, string])[]; onChange: (v: T) => void }) {
  return (
    <Field {...props}>
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

/**
 * A number input that commits on blur or Enter. `commit` gets the typed text and says why it is
 * refused (out of range, not a number, not whole, too costly), or null when it is taken; a
 * refused text goes back to the current value, and the reason stays beside the field.
 */
export function NumberField(props: Common & { value: number; min: number; max: number; integer?: boolean; commit: (text: string) => string | null }) {
  const submit = (el: HTMLInputElement) => {
    if (el.value === String(props.value) && !props.error) return; // untouched: nothing to say
    if (props.commit(el.value) !== null) el.value = String(props.value);
  };
  return (
    <Field {...props}>
      {(id, hintId) => (
        <input
          id={id}
          aria-describedby={hintId}
          aria-invalid={props.error ? true : undefined}
          type="number"
          data-testid={props.testId}
          min={props.min}
          max={props.max}
          step={props.integer ? 1 : 'any'}
          defaultValue={props.value}
          key={props.value}
          onBlur={(e) => submit(e.currentTarget)}
          onKeyDown={(e) => e.key === 'Enter' && submit(e.currentTarget)}
        />
      )}
    </Field>
  );
}

/** A logarithmic slider (learning rates span decades), with the value shown beside it. */
export function LogSlider(props: Common & { value: number; min: number; max: number; onChange: (v: number) => void }) {
  const toPos = (v: number) => Math.round((1000 * Math.log(v / props.min)) / Math.log(props.max / props.min));
  const fromPos = (p: number) => Number((props.min * Math.pow(props.max / props.min, p / 1000)).toPrecision(2));
  return (
    <Field {...props}>
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

export function Toggle(props: Common & { value: boolean; onChange: (v: boolean) => void }) {
  const id = useId();
  if (props.hidden) return null;
  return (
    <div className="field toggle" title={props.hint}>
      <input id={id} type="checkbox" checked={props.value} data-testid={props.testId} aria-describedby={`${id}-hint`} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
      <span id={`${id}-hint`} className="visually-hidden">
        {props.hint}
      </span>
      <FieldError error={props.error} testId={props.testId} />
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
