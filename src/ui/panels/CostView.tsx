/**
 * The trade-offs against sequence length, in the Status panel. Always: the closed forms of every
 * kind of layer at the run's settings (engine/costs.ts, each checked against a count of what the
 * engine does): the FLOPs of a forward pass per sequence (attention's scores grow as T², the rest as
 * T) and the floats a model carries from one generated step to the next (a fixed state, or
 * attention's growing key/value cache). On request, measured on this machine (src/worker/costs.ts):
 * the time of one training step per kind, and the linear recurrences as a loop against a parallel
 * scan. Measuring pauses training for a few seconds.
 */
import { useMemo, useState, type CSSProperties } from 'react';
import type { LayerKind } from '../../engine/anyModel';
import { loopSteps, scanCombines, scanRounds } from '../../engine/costs';
import { taskShape } from '../../settings/check';
import { measureCosts } from '../../store/controller';
import { usePlayground } from '../../store/store';
import { costCurvesOf, type CostReport, type CostRow } from '../../worker/costs';
import { LineChart, type LineSeries } from '../charts/lines/LineChart';
import { useRem } from '../charts/hooks';
import { fmt } from '../format';
import { OKABE_ITO } from '../theme';
import { useSize } from '../useSize';
import './CostView.css';

const LOOK: Record<LayerKind, { label: string; color: string; dash: string }> = {
  rnn: { label: 'RNN', color: OKABE_ITO.grey, dash: '' },
  lstm: { label: 'LSTM', color: OKABE_ITO.orange, dash: '' },
  gru: { label: 'GRU', color: OKABE_ITO.skyBlue, dash: '' },
  lru: { label: 'LRU', color: OKABE_ITO.blue, dash: '6 3' },
  mamba: { label: 'Mamba', color: OKABE_ITO.green, dash: '6 3' },
  rwkv: { label: 'RWKV', color: OKABE_ITO.purple, dash: '6 3' },
  mingru: { label: 'minGRU', color: OKABE_ITO.yellow, dash: '6 3' },
  attention: { label: 'attention', color: OKABE_ITO.vermillion, dash: '2 2' },
};
/** The length the sentences quote the scan at. */
const SAY_T = 256;

/** One series per kind of the rows, in their order. */
function seriesOf(rows: CostRow[], y: (r: CostRow) => number, suffix = '', dash?: string): LineSeries[] {
  const kinds = [...new Set(rows.map((r) => r.cell))];
  return kinds.map((cell) => {
    const own = rows.filter((r) => r.cell === cell);
    return { key: `${cell}${suffix}`, label: `${LOOK[cell].label}${suffix}`, x: own.map((r) => r.T), y: own.map(y), color: LOOK[cell].color, dash: dash ?? LOOK[cell].dash };
  });
}

/** "12 rows past the 8 s budget; lru: …" — the budget's cuts counted, other reasons said. */
function skippedText(skipped: string[]): string {
  const past = skipped.filter((s) => s.includes(': past the'));
  const other = skipped.filter((s) => !s.includes(': past the'));
  return [past.length ? `${past.length} past the time budget` : '', ...other].filter(Boolean).join('; ');
}

/** @param wide lay the charts out two by two when the view is wide enough (the cost lesson's own view) */
export function CostView({ wide = false }: { wide?: boolean }) {
  const [report, setReport] = useState<CostReport | null>(null);
  const [state, setState] = useState<'idle' | 'measuring' | string>('idle');
  const config = usePlayground((s) => s.config);
  const rem = useRem();
  const [box, size] = useSize<HTMLDivElement>();
  const curves = useMemo(() => {
    const { D, Y } = taskShape(config);
    return costCurvesOf(config, { inputSize: D, outputSize: Y });
  }, [config]);
  const measure = () => {
    setState('measuring');
    measureCosts().then(
      (r) => {
        setReport(r);
        setState('idle');
      },
      (e: unknown) => setState(`Not measured: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  const cols = wide && size.width >= 40 * rem ? 2 : 1;
  const chartW = (size.width - (cols - 1) * rem) / cols; // the grid's gap is 1rem
  const chartH = Math.max(9 * rem, Math.min((wide ? 20 : 16) * rem, chartW * 0.6));
  const grid = { className: 'st-costs-grid', style: { '--cost-cols': cols } as CSSProperties };
  const closed = (y: (k: (typeof curves.kinds)[number]) => number[]): LineSeries[] =>
    curves.kinds.map((k) => ({ key: k.cell, label: LOOK[k.cell].label, x: curves.lengths, y: y(k), color: LOOK[k.cell].color, dash: LOOK[k.cell].dash }));
  const first = report?.rows ?? [];
  const compared = report?.scanRows ?? [];
  const scanB = compared[0]?.B;
  return (
    <section className="st-costs" aria-label="Cost against sequence length" ref={box} data-testid="cost-view">
      {!wide && <h3>Cost against sequence length</h3>}
      <p className="st-desc">
        Every kind of layer at this run&apos;s settings (H = {config.hiddenSize}, {config.numLayers} layer{config.numLayers > 1 ? 's' : ''}), in closed form. Attention
        compares each step with every earlier one, T(T + 1)/2 pairs per head, so its FLOPs per step grow with T and per sequence as T²; a recurrent step costs the same at every t. To generate the next
        step, attention keeps every earlier key and value; a recurrent model keeps a state of fixed size.
      </p>
      <div data-testid="cost-curves" data-curves={JSON.stringify(curves)} {...grid}>
        <LineChart
          width={chartW}
          height={chartH}
          rem={rem}
          series={closed((k) => k.forwardFlops.map((f, i) => f / curves.lengths[i] / 1000))}
          xLabel="sequence length T"
          yLabel="thousand FLOPs per step (a sequence's forward pass ÷ T)"
          yMode="linear"
          ariaLabel="FLOPs per step of one sequence's forward pass against T for every kind of layer: flat for the recurrent kinds, rising with T for attention, whose total grows as T²."
        />
        <LineChart
          width={chartW}
          height={chartH}
          rem={rem}
          series={closed((k) => k.stateFloats)}
          xLabel="generated steps t"
          yLabel="floats kept to generate the next step"
          yMode="log"
          ariaLabel="Floats a model keeps to generate the next step, against the steps generated: flat for the recurrent kinds, growing for attention."
        />
      </div>
      <p className="st-desc">
        Loop or scan (the Recurrence setting): over T = {SAY_T} steps a linear recurrence takes {loopSteps(SAY_T)} steps one after another as a loop, or {scanRounds(SAY_T)}{' '}
        rounds as a parallel scan that does {scanCombines(SAY_T).toLocaleString('en')} combines per channel instead of {loopSteps(SAY_T)}: the same numbers, fewer steps,
        more work. It pays where each round&apos;s combines run at once.
      </p>
      <button type="button" onClick={measure} disabled={state === 'measuring'} data-testid="measure-costs">
        {state === 'measuring' ? 'Measuring…' : 'Measure on this machine (stops training)'}
      </button>
      {state !== 'idle' && state !== 'measuring' && <p role="alert">{state}</p>}
      {report && (
        <div data-testid="cost-report" data-rows={JSON.stringify(report.rows)} data-scan-rows={JSON.stringify(report.scanRows)}>
          <p className="st-desc">
            Measured here: every kind on {report.backend}, batch {report.B}, H = {report.H}, one layer
            {compared.length > 0 &&
              `; the linear recurrences as a loop (solid) and as a parallel scan (dashed), both on ${report.scanBackend}, batch ${scanB}, whose mixers run on the CPU: a round's combines run one after another there, not at once as on a GPU`}
            {report.skipped.length ? `; not measured: ${skippedText(report.skipped)}` : ''}.
          </p>
          <div {...grid}>
            <LineChart
              width={chartW}
              height={chartH}
              rem={rem}
              series={seriesOf(first, (r) => r.msPerStep)}
              xLabel="sequence length T"
              yLabel={`ms per training step (${report.backend})`}
              yMode="log"
              ariaLabel={`Milliseconds per training step against T on ${report.backend} for ${first.length} measurements; the longest ${fmt(Math.max(...first.map((r) => r.msPerStep)))} ms.`}
            />
            {compared.length > 0 && (
              <LineChart
                width={chartW}
                height={chartH}
                rem={rem}
                series={[...seriesOf(compared.filter((r) => r.scan === 'loop'), (r) => r.msPerStep, ' loop', ''), ...seriesOf(compared.filter((r) => r.scan === 'parallel'), (r) => r.msPerStep, ' scan', '6 3')]}
                xLabel="sequence length T"
                yLabel={`ms per training step, loop and scan (${report.scanBackend})`}
                yMode="log"
                ariaLabel={`Milliseconds per training step against T, loop against parallel scan, on ${report.scanBackend} for ${compared.length} measurements.`}
              />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
