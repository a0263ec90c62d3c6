/**
 * Where an RNN shows W_hh's spectrum, a successor block shows how it remembers, in its paper's
 * quantities (src/engine/successors/memory.ts), for its first block and example 0:
 *   LRU: λ on the complex plane, its recurrence's eigenvalues exactly;
 *   RWKV: each channel's decay e^(−w) on the same plane (real, in (0, 1));
 *   Mamba: the share kept per step and channel, exp(Δ_t·A), time × channel: selectivity made visible;
 *   minGRU: the share kept, 1 − z_t, time × channel;
 *   attention: each head's weights, query step × key step.
 * Every value is also in the CSV export.
 */
import type { SuccessorMemory } from '../../engine/successors/memory';
import type { SuccessorKind } from '../../engine/successors/spec';
import { usePlayground } from '../../store/store';
import { useRem } from '../charts/hooks';
import { ColorLegend } from '../charts/inside/ColorLegend';
import { SEQUENTIAL_LUT } from '../charts/inside/colors';
import { Heatmap } from '../charts/inside/Heatmap';
import { EigenPlot } from '../charts/spectra/EigenPlot';
import type { CsvRows } from '../exportChart';
import { fmt } from '../format';
import { Panel } from '../Panel';
import { useSize } from '../useSize';
import { KIND_LABEL } from './successorText';
import './SuccessorMemoryPanel.css';

/** What each view shows, true of every run (the numbers are on the chart). */
const CAPTION: Record<SuccessorKind, string> = {
  lru: 'The state is multiplied by λ at every step, so these are its eigenvalues exactly. |λ| = exp(−exp(ν)) is below 1 for every ν: however training moves them, they stay inside the circle and the state cannot explode. Near the circle: long memory; near 0: short.',
  rwkv: "Each channel's running sums shrink by e^(−w) per step, w = exp(w_log) > 0: on the real axis inside the circle. Near 1 a channel remembers many tokens back; near 0 only the latest.",
  mamba: 'The share of its state each channel keeps at each step of example 0, exp(Δ_t·A) (the slowest of its N states): Δ_t is computed from the input, so the block chooses per token what to keep (light) and what to forget (dark).',
  mingru: 'The share of h_(t−1) each channel keeps at each step of example 0, 1 − z_t: the gate reads only the input, so it is the same whatever the state holds.',
  attention: 'Each head\'s weights for example 0: row t is how query step t spreads its attention over the steps τ ≤ t (zero above the diagonal). One hop reaches any earlier step: no decay with distance.',
};

function memoryCsv(m: SuccessorMemory | null): CsvRows {
  if (!m) return [['no data yet']];
  if (m.kind === 'lru') return [['k', 'lambda_re', 'lambda_im', 'modulus'], ...m.eigenvalues.map(([re, im], k) => [k, re, im, Math.hypot(re, im)])];
  if (m.kind === 'rwkv') return [['channel', 'decay_exp_minus_w'], ...m.decays.map((d, h) => [h, d])];
  if (m.kind === 'attention') {
    const rows: CsvRows = [['head', 'query_t', 'key_tau', 'weight']];
    for (let e = 0; e < m.heads; e++) for (let t = 0; t < m.T; t++) for (let tau = 0; tau <= t; tau++) rows.push([e, t, tau, m.weights[(e * m.T + t) * m.T + tau]]);
    return rows;
  }
  const rows: CsvRows = [['t', ...Array.from({ length: m.H }, (_, h) => `kept_${h}`)]];
  for (let t = 0; t < m.T; t++) rows.push([t, ...Array.from(m.kept.subarray(t * m.H, (t + 1) * m.H))]);
  return rows;
}

function MemoryView({ m, width, height, rem }: { m: SuccessorMemory; width: number; height: number; rem: number }) {
  if (m.kind === 'lru' || m.kind === 'rwkv') {
    const eigenvalues = m.kind === 'lru' ? m.eigenvalues : m.decays.map((d): [number, number] => [d, 0]);
    const radius = Math.max(0, ...eigenvalues.map(([re, im]) => Math.hypot(re, im)));
    return <EigenPlot blocks={[{ gate: m.kind === 'lru' ? 'λ' : 'e^(−w)', eigenvalues, spectralRadius: radius, singularValues: [] }]} width={width} height={height} rem={rem} />;
  }
  if (m.kind === 'attention') {
    const per = Math.max(4 * rem, Math.min(height - 1.8 * rem, (width - rem) / Math.min(m.heads, 4) - 0.6 * rem));
    return (
      <div className="sm-heads">
        {Array.from({ length: m.heads }, (_, e) => (
          <figure key={e} className="sm-head">
            <figcaption>head {e + 1}</figcaption>
            <Heatmap
              rows={m.T}
              cols={m.T}
              value={(r, c) => m.weights[(e * m.T + r) * m.T + c]}
              lut={SEQUENTIAL_LUT}
              domain={[0, 1]}
              width={per}
              height={per}
              left={2 * rem}
              bottom={2.2 * rem}
              xLabel="key τ"
              yLabel="query t"
              ariaLabel={`Attention weights of head ${e + 1} over ${m.T} steps.`}
              describe={(r, c) => `head ${e + 1}, query t = ${r}, key τ = ${c}: ${fmt(m.weights[(e * m.T + r) * m.T + c])}`}
            />
          </figure>
        ))}
      </div>
    );
  }
  return (
    <Heatmap
      rows={m.H}
      cols={m.T}
      value={(r, c) => m.kept[c * m.H + r]}
      lut={SEQUENTIAL_LUT}
      domain={[0, 1]}
      width={width}
      height={height}
      left={2.6 * rem}
      bottom={2.2 * rem}
      xLabel="time t"
      yLabel="channel"
      ariaLabel={`Share of the state kept per step and channel over ${m.T} steps.`}
      describe={(r, c) => `channel ${r}, t = ${c}: keeps ${fmt(m.kept[c * m.H + r])}`}
    />
  );
}

export function SuccessorMemoryPanel({ kind }: { kind: SuccessorKind }) {
  const memory = usePlayground((s) => s.memory);
  const rem = useRem();
  const [box, size] = useSize<HTMLDivElement>();
  const m = memory && memory.kind === kind ? memory : null;
  const legend = m && m.kind !== 'lru' && m.kind !== 'rwkv';
  const chartH = Math.max(8 * rem, size.height - (legend ? 3.8 * rem : 0));
  const note = <p>{CAPTION[kind]} Drawn for the first block, the one that reads the input.</p>;
  return (
    <Panel id="spectra" title={`How ${KIND_LABEL[kind]} remembers`} note={note} csv={() => memoryCsv(m)}>
      <div className="sm-root">
        <p className="sm-caption" data-testid="memory-caption">
          {CAPTION[kind]}
        </p>
        <div className="sm-chart" ref={box} data-testid="memory-view" data-kind={m?.kind ?? ''}>
          {m ? <MemoryView m={m} width={size.width} height={chartH} rem={rem} /> : <p>No data yet: press Play or Step.</p>}
          {legend && <ColorLegend lut={SEQUENTIAL_LUT} labels={['0', '0.5', '1']} title={m.kind === 'attention' ? 'weight' : 'share kept per step'} width={Math.min(12 * rem, size.width)} rem={rem} />}
        </div>
      </div>
    </Panel>
  );
}
