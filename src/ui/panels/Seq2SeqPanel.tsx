/**
 * "Encoder → decoder": what sequence to sequence hands from one network to the other, for example 0
 * of the latest batch (worker/seq2seqTrainer.ts exampleOf):
 *   the symbols: source, target, the decoder's output under teacher forcing and running free;
 *   the handed-over state: the encoder's final h of every layer, all the decoder starts from;
 *   teacher-forced and free-running accuracy against training step (the History's series);
 *   with attention, α_{t,s}: how much output step t reads source step s (canvas heatmap).
 * d3 computes the scales (inside the charts), React owns the DOM, the dense plots are canvases.
 */
import type { Seq2SeqExample } from '../../worker/protocol';
import { history, usePlayground } from '../../store/store';
import { useFrameTick, useRem } from '../charts/hooks';
import { ColorLegend } from '../charts/inside/ColorLegend';
import { DIVERGING_LUT, SEQUENTIAL_LUT } from '../charts/inside/colors';
import { Heatmap } from '../charts/inside/Heatmap';
import { LineChart } from '../charts/lines/LineChart';
import type { CsvRows } from '../exportChart';
import { fmt, fmtFixed } from '../format';
import { Panel } from '../Panel';
import { ROLE } from '../theme';
import { useSize } from '../useSize';
import './Seq2SeqPanel.css';

/** The latest finite value of a series, or NaN. */
function latest(y: ArrayLike<number>, n: number): number {
  for (let i = n - 1; i >= 0; i--) if (Number.isFinite(y[i])) return y[i];
  return NaN;
}

function exampleCsv(ex: Seq2SeqExample | null): CsvRows {
  if (!ex) return [['no data yet']];
  const rows: CsvRows = [['row', 'position', 'value']];
  const put = (name: string, v: ArrayLike<number>) => Array.from(v, (x, i) => rows.push([name, i, x]));
  put('source', ex.source);
  put('target', ex.target);
  put('teacher_forced', ex.teacherForced);
  put('free_running', ex.freeRunning);
  put('handed_over_h', ex.handedOver);
  if (ex.alpha) put(`alpha_row_major_${ex.target.length}x${ex.source.length}`, ex.alpha);
  return rows;
}

/** One row of symbols; outputs are marked right or wrong against the target. */
function SymbolRow({ label, ids, target, testId }: { label: string; ids: Int32Array; target?: Int32Array; testId: string }) {
  return (
    <div className="s2s-row">
      <span className="s2s-label">{label}</span>
      <span className="s2s-cells" data-testid={testId}>
        {Array.from(ids, (id, i) => {
          const mark = target ? (id === target[i] ? 'right' : 'wrong') : '';
          return (
            <span key={i} className={`s2s-cell ${mark}`} title={`${label}, position ${i}: ${id}${mark ? ` (${mark})` : ''}`}>
              {id}
            </span>
          );
        })}
      </span>
    </div>
  );
}

export function Seq2SeqPanel() {
  useFrameTick();
  const rem = useRem();
  const ex = usePlayground((s) => s.seq2seq);
  const task = usePlayground((s) => s.task);
  const attention = usePlayground((s) => s.config.attention);
  const [box, size] = useSize<HTMLDivElement>();
  const n = history.length;
  const step = history.series('step');
  const teacher = history.series('metric');
  const free = history.series('freeRunning');
  const tf = latest(teacher, n);
  const fr = latest(free, n);
  // Wide: symbols, state and curves on the left, α on the right; narrow: one column that scrolls.
  const wide = size.width > 36 * rem;
  const gap = 0.8 * rem;
  const width = Math.max(0, wide ? Math.floor(size.width * 0.55) : size.width);
  const rightW = wide ? Math.max(0, size.width - width - gap) : width;
  const H = usePlayground((s) => s.model?.hiddenSize ?? 0); // the decoder's width: the encoder's too
  const L = ex && H > 0 ? ex.handedOver.length / H : 0;
  const stateH = Math.max(2.6 * rem, L * 0.9 * rem + 2.2 * rem);
  // what sits above the chart: the readout line, four symbol rows, the strip and its caption
  const above = 2.2 * rem + 4 * 1.5 * rem + stateH + 1.4 * rem;
  const chartH = wide ? Math.max(7 * rem, size.height - above - 1.5 * rem) : 12 * rem;
  const alphaSize = Math.max(8 * rem, wide ? Math.min(rightW, size.height - 5 * rem) : Math.min(width, 22 * rem));
  const note = (
    <p>
      The encoder reads the source; its final state h (every layer, the strip) is handed to the decoder, which writes the answer one symbol at a time. Trained with
      teacher forcing (the decoder reads the true previous symbol); shown also running free (it reads its own previous guess, as it must in use: one slip can
      derail the rest). With attention on, the decoder also mixes every encoder state by weights α<sub>t,s</sub> (rows: output step t, columns: source step s; each row sums to 1).
    </p>
  );
  return (
    <Panel id="seq2seq" title="Encoder → decoder" note={note} csv={() => exampleCsv(ex)}>
      <div className={`s2s-root ${wide ? 'wide' : ''}`} ref={box}>
        <div className="s2s-left">
        <p className="s2s-readout">
          teacher-forced <strong data-testid="s2s-teacher">{Number.isFinite(tf) ? fmtFixed(tf, 4) : '—'}</strong> · free-running{' '}
          <strong data-testid="s2s-free">{Number.isFinite(fr) ? fmtFixed(fr, 4) : '—'}</strong>
          {task && <> · baseline {fmt(task.baseline.value)}</>} {ex && <span data-testid="s2s-example-step">(example at step {ex.step})</span>}
        </p>
        {ex ? (
          <div className="s2s-symbols" data-testid="s2s-symbols">
            <SymbolRow label="source" ids={ex.source} testId="s2s-source" />
            <SymbolRow label="target" ids={ex.target} testId="s2s-target" />
            <SymbolRow label="teacher-forced" ids={ex.teacherForced} target={ex.target} testId="s2s-forced" />
            <SymbolRow label="free-running" ids={ex.freeRunning} target={ex.target} testId="s2s-freerun" />
          </div>
        ) : (
          <p>No data yet: press Play or Step.</p>
        )}
        {ex && H > 0 && (
          <figure className="s2s-fig" data-testid="s2s-state">
            <figcaption>handed-over state h (encoder's final, {L > 1 ? `${L} layers × ` : ''}{H} units)</figcaption>
            <Heatmap
              rows={L}
              cols={H}
              value={(r, c) => ex.handedOver[r * H + c]}
              lut={DIVERGING_LUT}
              domain={[-1, 1]}
              width={width}
              height={stateH}
              left={2 * rem}
              bottom={2 * rem}
              xLabel="unit"
              yLabel="layer"
              ariaLabel={`The encoder's final state, ${L} × ${H} values, handed to the decoder.`}
              describe={(r, c) => `layer ${r}, unit ${c}: h = ${fmt(ex.handedOver[r * H + c])}`}
            />
          </figure>
        )}
        <LineChart
          width={width}
          height={chartH}
          rem={rem}
          series={[
            { key: 'tf', label: 'teacher-forced', x: step, y: teacher, color: ROLE.metric, dash: '', width: 1.75 },
            { key: 'fr', label: 'free-running', x: step, y: free, color: ROLE.loss, dash: '5 3', width: 1.75 },
          ]}
          refLines={task ? [{ key: 'b', label: 'memoryless baseline', value: task.baseline.value, color: ROLE.baseline, dash: '7 4' }] : []}
          xLabel="training step"
          yLabel="per-token accuracy"
          yMode="linear"
          yFixed={[0, 1]}
          ariaLabel={`Per-token accuracy against training step: teacher-forced ${fmt(tf)}, free-running ${fmt(fr)}.`}
        />
        </div>
        <div className="s2s-right">
        {ex?.alpha ? (
          <figure className="s2s-fig" data-testid="s2s-attention">
            <figcaption>attention α (free running): output step t × source step s</figcaption>
            <Heatmap
              rows={ex.target.length}
              cols={ex.source.length}
              value={(r, c) => (ex.alpha as Float32Array)[r * ex.source.length + c]}
              lut={SEQUENTIAL_LUT}
              domain={[0, 1]}
              width={alphaSize}
              height={alphaSize}
              left={2.2 * rem}
              bottom={2.2 * rem}
              xLabel="source step s"
              yLabel="output t"
              ariaLabel={`Attention weights, ${ex.target.length} output steps × ${ex.source.length} source steps.`}
              describe={(r, c) => `output t = ${r} reads source s = ${c} (symbol ${ex.source[c]}) with weight ${fmt((ex.alpha as Float32Array)[r * ex.source.length + c])}`}
            />
            <ColorLegend lut={SEQUENTIAL_LUT} labels={['0', '0.5', '1']} title="weight α" width={Math.min(12 * rem, rightW)} rem={rem} />
          </figure>
        ) : (
          <p className="s2s-off" data-testid="s2s-attention-off">
            {attention ? 'No attention weights yet: press Play or Step.' : 'Attention is off: the decoder sees the source only through the handed-over state. Turn on “Decoder attends” to let it read every encoder state.'}
          </p>
        )}
        </div>
      </div>
    </Panel>
  );
}
