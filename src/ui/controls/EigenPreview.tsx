/**
 * A small complex plane with the eigenvalues of W_hh (first gate block) and the unit circle: it
 * updates when the initialization changes, before any training, so ρ can be chosen by eye.
 */
import { usePlayground } from '../../store/store';

const SIZE = 120;
const R = 1.6; // the plane shown spans [−R, R]

export function EigenPreview() {
  const analysis = usePlayground((s) => s.analysis);
  const w = analysis?.weights[0];
  if (!w) return null;
  const scale = (v: number) => ((v + R) / (2 * R)) * SIZE;
  const limit = Math.max(R, ...w.eigenvalues.map(([re, im]) => Math.hypot(re, im)));
  const k = R / limit; // shrink when an eigenvalue lies outside the frame
  return (
    <figure className="eigen-preview">
      <svg width={SIZE} height={SIZE} role="img" aria-label={`Eigenvalues of ${w.gate}: spectral radius ${w.spectralRadius.toFixed(3)}`}>
        <line x1={0} y1={SIZE / 2} x2={SIZE} y2={SIZE / 2} className="axis-line" />
        <line x1={SIZE / 2} y1={0} x2={SIZE / 2} y2={SIZE} className="axis-line" />
        <circle cx={SIZE / 2} cy={SIZE / 2} r={(SIZE / 2 / R) * k} className="unit-circle" />
        {w.eigenvalues.map(([re, im], i) => (
          <circle key={i} cx={scale(re * k)} cy={scale(-im * k)} r={2.5} className="eigen-dot" />
        ))}
      </svg>
      <figcaption>
        ρ({w.gate}) = {w.spectralRadius.toFixed(3)}
      </figcaption>
    </figure>
  );
}
