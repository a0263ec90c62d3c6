/**
 * The left column: every setting, grouped as a lecture would introduce them (task → model →
 * initialization → training → run). Live settings apply at the next step; the others restart.
 */
import { setConfig } from '../../store/controller';
import { usePlayground } from '../../store/store';
import type { PlaygroundConfig } from '../../worker/config';
import { EigenPreview } from './EigenPreview';
import { Group, LogSlider, NumberField, SelectField, Toggle } from './fields';
import { TextInput } from './TextInput';

const TASKS = [
  ['echo', 'Delayed echo'],
  ['adding', 'Adding problem'],
  ['copy_memory', 'Copy memory'],
  ['temporal_order', 'Temporal order'],
  ['parity', 'Parity'],
  ['future_tag', 'Tagging (future matters)'],
  ['sines', 'Streaming sines'],
  ['char_lm', 'Character language model'],
] as const;

const LENGTH_LABEL: Record<PlaygroundConfig['task'], [string, string]> = {
  echo: ['Sequence length T', 'Steps per sequence.'],
  adding: ['Sequence length T', 'Steps per sequence; the two marked numbers can be far apart.'],
  copy_memory: ['Delay T', 'Blank steps to wait between the symbols and the recall (sequence is T + 20).'],
  temporal_order: ['Sequence length T', 'Steps per sequence; the two relevant symbols sit early and mid-way.'],
  parity: ['Bits', 'Number of bits whose parity is asked at the end.'],
  future_tag: ['Sequence length T', 'Steps per sequence.'],
  sines: ['Chunk length T', 'Steps per chunk of the endless stream; the state carries over between chunks.'],
  char_lm: ['Window T', 'Characters per training window.'],
};

const GAIN_LABEL: Record<PlaygroundConfig['init'], [string, string] | null> = {
  pytorch: null,
  xavier: null,
  orthogonal: ['Gain', 'W_hh = gain · Q with Q orthogonal: every singular value equals the gain.'],
  identity: ['Scale', 'W_hh = scale · I (IRNN): the state is copied forward unchanged at scale 1.'],
  gaussian: ['Spectral radius ρ', 'W_hh Gaussian, rescaled so its largest |eigenvalue| is exactly ρ.'],
};

export function Controls() {
  const c = usePlayground((s) => s.config);
  const hidden = new Set(usePlayground((s) => s.hidden));
  const h = (k: keyof PlaygroundConfig) => hidden.has(k);
  const set = <K extends keyof PlaygroundConfig>(k: K) => (v: PlaygroundConfig[K]) => setConfig({ [k]: v } as Partial<PlaygroundConfig>);
  const [lenLabel, lenHint] = LENGTH_LABEL[c.task];
  const gain = GAIN_LABEL[c.init];
  return (
    <aside className="controls" aria-label="Settings">
      <Group title="Task">
        <SelectField label="Task" hint="What the network must learn; each has a baseline a memoryless guess reaches." value={c.task} options={TASKS} onChange={set('task')} hidden={h('task')} testId="ctl-task" />
        <NumberField label={lenLabel} hint={lenHint} value={c.length} min={2} max={400} integer onChange={set('length')} hidden={h('length')} testId="ctl-length" />
        <NumberField label="Lag L" hint="The target at step t is the input at t − L: how far back the network must remember." value={c.lag} min={0} max={200} integer onChange={set('lag')} hidden={h('lag') || c.task !== 'echo'} testId="ctl-lag" />
        <NumberField label="Symbols K" hint="Number of distinct symbols (chance accuracy is about 1/K)." value={c.symbols} min={2} max={16} integer onChange={set('symbols')} hidden={h('symbols') || (c.task !== 'echo' && c.task !== 'future_tag')} testId="ctl-symbols" />
        {c.task === 'char_lm' && <TextInput />}
      </Group>
      <Group title="Model">
        <SelectField label="Cell" hint="Vanilla RNN, or a gated cell (LSTM, GRU) that can keep information longer." value={c.cell} options={[['rnn', 'RNN'], ['lstm', 'LSTM'], ['gru', 'GRU']]} onChange={set('cell')} hidden={h('cell')} testId="ctl-cell" />
        <SelectField label="Nonlinearity" hint="tanh saturates; ReLU does not; linear gives exact closed forms." value={c.nonlinearity} options={[['tanh', 'tanh'], ['relu', 'ReLU'], ['linear', 'linear']]} onChange={set('nonlinearity')} hidden={h('nonlinearity') || c.cell !== 'rnn'} testId="ctl-nonlinearity" />
        <NumberField label="Hidden units H" hint="Size of the hidden state h_t." value={c.hiddenSize} min={1} max={512} integer onChange={set('hiddenSize')} hidden={h('hiddenSize')} testId="ctl-hidden" />
        <NumberField label="Layers" hint="Stacked recurrent layers; each reads the one below." value={c.numLayers} min={1} max={4} integer onChange={set('numLayers')} hidden={h('numLayers')} testId="ctl-layers" />
        <Toggle label="Bidirectional" hint="A second direction reads the sequence backwards, so each step sees the future too." value={c.bidirectional} onChange={set('bidirectional')} hidden={h('bidirectional')} testId="ctl-bidirectional" />
        <SelectField label="Initial state" hint="h_0 fixed at zero, or a learned parameter." value={c.initialState} options={[['zero', 'zero'], ['learned', 'learned']]} onChange={set('initialState')} hidden={h('initialState')} testId="ctl-initial-state" />
      </Group>
      <Group title="Initialization">
        <SelectField
          label="Scheme"
          hint="How W_hh starts: its eigenvalues decide whether gradients vanish or explode."
          value={c.init}
          options={[['pytorch', 'PyTorch default'], ['xavier', 'Xavier / Glorot'], ['orthogonal', 'Orthogonal × gain'], ['identity', 'Identity × scale (IRNN)'], ['gaussian', 'Gaussian at radius ρ']]}
          onChange={set('init')}
          hidden={h('init')}
          testId="ctl-init"
        />
        {gain && <NumberField label={gain[0]} hint={gain[1]} value={c.gain} min={0} max={10} onChange={set('gain')} hidden={h('gain')} testId="ctl-gain" />}
        <NumberField label="Rescale ρ(W_hh)" hint="After init, rescale W_hh to this spectral radius (0 = leave it)." value={c.spectralRadius} min={0} max={10} onChange={set('spectralRadius')} hidden={h('spectralRadius')} testId="ctl-rho" />
        <NumberField label="Forget-gate bias" hint="LSTM: a positive bias keeps the forget gate open at the start (Jozefowicz et al.)." value={c.forgetBias} min={-10} max={10} onChange={set('forgetBias')} hidden={h('forgetBias') || c.cell !== 'lstm'} testId="ctl-forget-bias" />
        <EigenPreview />
      </Group>
      <Group title="Training">
        <SelectField label="Optimizer" hint="SGD with momentum, Adam or RMSprop, as PyTorch defines them." value={c.optimizer} options={[['adam', 'Adam'], ['sgd', 'SGD + momentum'], ['rmsprop', 'RMSprop']]} onChange={set('optimizer')} hidden={h('optimizer')} testId="ctl-optimizer" />
        <LogSlider label="Learning rate" hint="Step size; applies at the next step." value={c.learningRate} min={1e-5} max={1} onChange={set('learningRate')} hidden={h('learningRate')} testId="ctl-lr" />
        <NumberField label="Momentum" hint="SGD's momentum μ." value={c.momentum} min={0} max={0.999} onChange={set('momentum')} hidden={h('momentum') || c.optimizer !== 'sgd'} testId="ctl-momentum" />
        <NumberField label="Batch size" hint="Sequences per step." value={c.batchSize} min={1} max={512} integer onChange={set('batchSize')} hidden={h('batchSize')} testId="ctl-batch" />
        <SelectField label="Clipping" hint="Norm: rescale the whole gradient to at most c. Value: clamp each entry to ±c." value={c.clip} options={[['off', 'off'], ['norm', 'by norm'], ['value', 'by value']]} onChange={set('clip')} hidden={h('clip')} testId="ctl-clip" />
        <NumberField label="Threshold c" hint="The clipping threshold." value={c.clipMax} min={1e-6} max={1e6} onChange={set('clipMax')} hidden={h('clipMax') || c.clip === 'off'} testId="ctl-clip-max" />
        <NumberField label="Truncation k" hint="Truncated BPTT: no gradient crosses more than k steps back (0 = full BPTT)." value={c.truncation} min={0} max={400} integer onChange={set('truncation')} hidden={h('truncation')} testId="ctl-truncation" />
      </Group>
      <Group title="Run">
        <NumberField label="Seed" hint="The same seed gives the same weights and data, bit for bit." value={c.seed} min={0} max={2 ** 31 - 1} integer onChange={set('seed')} hidden={h('seed')} testId="ctl-seed" />
        <SelectField label="Backend" hint="Where training runs: auto picks the fastest real one; the float64 reference is exact but slow." value={c.backend} options={[['auto', 'auto'], ['reference', 'float64 reference'], ['wasm', 'WebAssembly SIMD'], ['webgpu', 'WebGPU'], ['gpujs', 'WebGL2 (gpu.js)']]} onChange={set('backend')} hidden={h('backend')} testId="ctl-backend" />
      </Group>
    </aside>
  );
}
