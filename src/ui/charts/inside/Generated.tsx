/**
 * Text the character model writes, sampled in the worker from softmax(ŷ / temperature) with the
 * latest weights: refreshed every few seconds while training, or on demand. Rendered as a text
 * node only (never as HTML).
 */
import { useEffect, useRef, useState } from 'react';
import { sampleTextFromModel } from '../../../store/controller';
import { usePlayground } from '../../../store/store';
import { fmtFixed } from '../../format';
import './inside.css';

const EVERY_MS = 4000;

export function Generated() {
  const [temperature, setTemperature] = useState(0.7);
  const [text, setText] = useState('');
  const [atStep, setAtStep] = useState<number | null>(null);
  const playing = usePlayground((s) => s.playing);
  const busy = useRef(false);
  const sample = async () => {
    if (busy.current) return;
    busy.current = true;
    const step = usePlayground.getState().step;
    try {
      setText(await sampleTextFromModel('In the beginning ', 160, temperature));
      setAtStep(step);
    } finally {
      busy.current = false;
    }
  };
  useEffect(() => {
    if (!playing) return;
    const id = setInterval(() => void sample(), EVERY_MS);
    return () => clearInterval(id);
  });
  return (
    <section className="in-generated" aria-label="Generated text">
      <h3 className="in-subtitle">
        Generated text{atStep !== null ? ` (step ${atStep})` : ''}{' '}
        <label className="in-temp" title="Low: the most likely characters; high: more varied, more mistakes.">
          temperature{' '}
          <input type="range" min={0.1} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} aria-valuetext={String(temperature)} />{' '}
          {fmtFixed(temperature, 1)}
        </label>{' '}
        <button type="button" onClick={() => void sample()} data-testid="sample-text">
          Sample
        </button>
      </h3>
      <p className="in-generated-box" data-testid="generated-text">
        {text || 'Press Sample, or train: a new sample appears every few seconds.'}
      </p>
    </section>
  );
}
