/**
 * The trade-offs, measured on this machine (src/worker/costs.ts): the time of one training step
 * against T for every kind of layer, and the memory each needs per generated step (a fixed state
 * for the recurrent kinds, a key/value cache growing with every step for attention). Shown in the
 * Status panel on request: measuring pauses training for a few seconds.
 */
import { useState } from 'react';
import type { LayerKind } from '../../engine/anyModel';
import { measureCosts } from '../../store/controller';
import type { CostReport } from '../../worker/costs';
import { LineChart, type LineSeries } from '../charts/lines/LineChart';
import { useRem } from '../charts/hooks';
import { fmt } from '../format';
import { OKABE_ITO } from '../theme';
import { useSize } from '../useSize';

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

function seriesOf(report: CostReport, y: (r: CostReport['rows'][number]) => number): LineSeries[] {
  const kinds = [...new Set(report.rows.map((r) => r.cell))];
  return kinds.map((cell) => {
    const rows = report.rows.filter((r) => r.cell === cell);
    return { key: cell, label: LOOK[cell].label, x: rows.map((r) => r.T), y: rows.map(y), color: LOOK[cell].color, dash: LOOK[cell].dash };
  });
}

export function CostView() {
  const [report, setReport] = useState<CostReport | null>(null);
  const [state, setState] = useState<'idle' | 'measuring' | string>('idle');
  const rem = useRem();
  const [box, size] = useSize<HTMLDivElement>();
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
  const chartH = Math.max(9 * rem, Math.min(16 * rem, size.width * 0.6));
  return (
    <section className="st-costs" aria-label="Cost against sequence length" ref={box}>
      <h3>Cost against sequence length</h3>
      <p className="st-desc">
        One training step of every kind of layer at this width, and the memory each carries from one generated step to the next: a recurrent state stays the
        same size; attention keeps every earlier key and value.
      </p>
      <button type="button" onClick={measure} disabled={state === 'measuring'} data-testid="measure-costs">
        {state === 'measuring' ? 'Measuring…' : 'Measure on this machine (stops training)'}
      </button>
      {state !== 'idle' && state !== 'measuring' && <p role="alert">{state}</p>}
      {report && (
        <div data-testid="cost-report" data-rows={JSON.stringify(report.rows)}>
          <p className="st-desc">
            {report.backend}, batch {report.B}, H = {report.H}, one layer{report.skipped.length ? `; not measured: ${report.skipped.join('; ')}` : ''}.
          </p>
          <LineChart
            width={size.width}
            height={chartH}
            rem={rem}
            series={seriesOf(report, (r) => r.msPerStep)}
            xLabel="sequence length T"
            yLabel="ms per training step"
            yMode="log"
            ariaLabel={`Milliseconds per training step against T for ${report.rows.length} measurements; the longest ${fmt(Math.max(...report.rows.map((r) => r.msPerStep)))} ms.`}
          />
          <LineChart
            width={size.width}
            height={chartH}
            rem={rem}
            series={seriesOf(report, (r) => r.stateFloats)}
            xLabel="generated step t"
            yLabel="floats carried to the next step"
            yMode="log"
            ariaLabel="Floats a model carries from one generated step to the next, against the step: flat for the recurrent kinds, growing for attention."
          />
        </div>
      )}
    </section>
  );
}
