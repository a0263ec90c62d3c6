/**
 * A small complex plane with the eigenvalues of W_hh (first gate block) and the unit circle: it
 * updates when the initialization changes, before any training, so ρ can be chosen by eye.
 */
import type { BlockSpectrum } from '../../engine/analysis';
import { usePlayground } from '../../store/store';
import { fmtFixed } from '../format';

const SIZE = 120;
/** room for a dot's radius at the frame's edge, px */
const PAD = 4;

/** The half-width of the plane shown: the unit circle with room around it, or every eigenvalue. */
export function previewExtent(eigenvalues: [number, number][]): number {
  return 1.1 * Math.max(1.25, ...eigenvalues.map(([re, im]) => Math.hypot(re, im)).filter(Number.isFinite));
}

export function EigenPreview() {
  const analysis = usePlayground((s) => s.analysis);
  const w = analysis?.weights[0];
  return w ? <EigenPlane w={w} /> : null;
}

/** The plane itself, for one gate block's spectrum. */
export function EigenPlane({ w }: { w: BlockSpectrum }) {
  const R = previewExtent(w.eigenvalues);
  // [−R, R] onto [PAD, SIZE − PAD]: a dot on the frame's edge is drawn whole.
  const scale = (v: number) => PAD + ((v + R) / (2 * R)) * (SIZE - 2 * PAD);
  return (
    <figure className="eigen-preview">
      <svg width={SIZE} height={SIZE} role="img" aria-label={`Eigenvalues of ${w.gate}: spectral radius ${fmtFixed(w.spectralRadius, 3)}`}>
        <line x1={0} y1={SIZE / 2} x2={SIZE} y2={SIZE / 2} className="axis-line" />
        <line x1={SIZE / 2} y1={0} x2={SIZE / 2} y2={SIZE} className="axis-line" />
        <circle cx={SIZE / 2} cy={SIZE / 2} r={(SIZE - 2 * PAD) / 2 / R} className="unit-circle" />
        {w.eigenvalues.map(([re, im], i) => (
          <circle key={i} cx={scale(re)} cy={scale(-im)} r={2.5} className="eigen-dot" />
        ))}
      </svg>
      <figcaption>
        ρ({w.gate}) = {fmtFixed(w.spectralRadius, 3)}
      </figcaption>
    </figure>
  );
}
