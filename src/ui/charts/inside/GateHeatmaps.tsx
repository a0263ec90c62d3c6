/**
 * The gates of an LSTM (i, f, g, o) or GRU (r, z, n) over time, one small heatmap per gate: a
 * forget gate near 1 (bright) is the LSTM keeping its memory; a GRU update gate z near 1 copies
 * the state. Sigmoid gates use the 0…1 sequential scale; the tanh candidates (g, n) are signed,
 * so they use the diverging −1…1 scale of the hidden states.
 */
import { useState } from 'react';
import type { CellKind } from '../../../engine/model';
import { DIVERGING_LUT, SEQUENTIAL_LUT } from './colors';
import { ColorLegend } from './ColorLegend';
import { Heatmap } from './Heatmap';
import { fmt } from '../../format';
import './inside.css';

const GATES: Record<CellKind, { name: string; title: string; signed: boolean }[]> = {
  rnn: [],
  lstm: [
    { name: 'i', title: 'input gate', signed: false },
    { name: 'f', title: 'forget gate', signed: false },
    { name: 'g', title: 'candidate (tanh)', signed: true },
    { name: 'o', title: 'output gate', signed: false },
  ],
  gru: [
    { name: 'r', title: 'reset gate', signed: false },
    { name: 'z', title: 'update gate', signed: false },
    { name: 'n', title: 'candidate (tanh)', signed: true },
  ],
};

export const gateNames = (cell: CellKind): string[] => GATES[cell].map((g) => g.name);

export interface GateHeatmapsProps {
  cell: CellKind;
  /** (T, G·H) */
  gates: Float32Array;
  H: number;
  width: number;
  /** the height to fill; without it, natural sizes */
  height?: number;
  rem: number;
}

export function GateHeatmaps({ cell, gates, H, width, height, rem }: GateHeatmapsProps) {
  const [hover, setHover] = useState<string | null>(null);
  const list = GATES[cell];
  const G = list.length;
  if (!G || H < 1) return null;
  const T = Math.floor(gates.length / (G * H));
  const gap = 0.8 * rem;
  const perRow = Math.max(1, Math.min(G === 3 ? 3 : 2, G, Math.floor((width + gap) / (9 * rem + gap))));
  const w = Math.floor((width - gap * (perRow - 1)) / perRow);
  const gridRows = Math.ceil(G / perRow);
  const natural = Math.max(4.5 * rem, Math.min(H * 0.25 * rem, 8 * rem)) + 1.5 * rem;
  // each gate: a caption line and the heatmap; under the grid, one hover line and the legend
  const h = height ? Math.max(3.5 * rem, (height - 4.2 * rem) / gridRows - 1.5 * rem) : natural;
  return (
    <div className="in-gates">
      <div className="in-gate-grid" style={{ gridTemplateColumns: `repeat(${perRow}, ${w}px)`, columnGap: gap }}>
        {list.map((g, k) => (
          <figure key={g.name} className="in-gate">
            <figcaption>
              <strong>{g.name}</strong> {g.title}
            </figcaption>
            <Heatmap
              rows={H}
              cols={T}
              value={(r, c) => gates[c * G * H + k * H + r]}
              lut={g.signed ? DIVERGING_LUT : SEQUENTIAL_LUT}
              domain={g.signed ? [-1, 1] : [0, 1]}
              width={w}
              height={h}
              left={2.4 * rem}
              bottom={1.5 * rem}
              onHover={setHover}
              ariaLabel={`Gate ${g.name} (${g.title}) of each unit over ${T} steps.`}
              describe={(r, c) => `${g.name}, unit ${r}, t = ${c}: ${fmt(gates[c * G * H + k * H + r])}`}
            />
          </figure>
        ))}
      </div>
      <p className="in-hover" aria-live="off">
        {hover ?? '\u00a0'}
      </p>
      <ColorLegend lut={SEQUENTIAL_LUT} labels={['0 (closed)', '0.5', '1 (open)']} title="gate value (sigmoid gates)" width={Math.min(14 * rem, width)} rem={rem} />
    </div>
  );
}
