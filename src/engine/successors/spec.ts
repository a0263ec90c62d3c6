/**
 * The layer kinds that followed the RNN, as ../shared/reference/README.md ("Successors") defines
 * them: every layer l is the same block around a mixer,
 *   v_t = in_proj(u_t),  c_t = mixer(v_1 … v_t),  o_t = c_t ⊙ silu(gate_proj(u_t)),
 * u_t = x_t for l = 0 and the layer below's o_t above it, and ŷ_t = readout(o_t) on top.
 * They live beside the RNN's `ModelSpec` rather than in it: every backend and the page read
 * `CellKind`, and none of them trains these kinds yet.
 *
 * Dimension letters: B batch, T steps, D a layer's input size, H hidden size (the block's width),
 * N state size (lru, mamba), Y output size.
 */
import { sizeOf, type Params, type Tensor } from '../model';

export const SUCCESSOR_KINDS = ['lru', 'mamba', 'rwkv', 'mingru', 'attention'] as const;
export type SuccessorKind = (typeof SUCCESSOR_KINDS)[number];

export interface SuccessorSpec {
  cell: SuccessorKind;
  inputSize: number;
  /** H: the block's width, the size of v_t, c_t and o_t */
  hiddenSize: number;
  numLayers: number;
  outputSize: number;
  /** N: the complex state per layer (lru) or the state per channel (mamba); 0 for the others */
  stateSize: number;
  /** attention only (it must divide H); 0 for the others */
  numHeads: number;
  /** always false: every mixer here is causal, read left to right */
  bidirectional: false;
}

export interface SuccessorModel {
  spec: SuccessorSpec;
  params: Params;
}

export function isSuccessorKind(cell: unknown): cell is SuccessorKind {
  return typeof cell === 'string' && (SUCCESSOR_KINDS as readonly string[]).includes(cell);
}

/** The kinds whose mixer carries a state in time, so truncation detaches it; attention has none. */
export function isRecurrentKind(cell: SuccessorKind): boolean {
  return cell !== 'attention';
}

/** The kinds with a state size N in their file. */
export function hasStateSize(cell: SuccessorKind): boolean {
  return cell === 'lru' || cell === 'mamba';
}

/** Input size of layer l: the data for l = 0, the layer below's o_t (H) above. */
export function blockInputSize(spec: SuccessorSpec, l: number): number {
  return l === 0 ? spec.inputSize : spec.hiddenSize;
}

/** The mixer's own parameters, named after `layers.{l}.mixer.`, in state_dict order. */
export function mixerShapes(spec: SuccessorSpec): [string, number[]][] {
  const H = spec.hiddenSize;
  const N = spec.stateSize;
  switch (spec.cell) {
    case 'lru':
      return [['nu_log', [N]], ['theta_log', [N]], ['gamma_log', [N]], ['B_re', [N, H]], ['B_im', [N, H]], ['C_re', [H, N]], ['C_im', [H, N]], ['D', [H]]];
    case 'mamba':
      return [['A_log', [H, N]], ['D', [H]], ['dt_proj.weight', [H, H]], ['dt_proj.bias', [H]], ['B_proj.weight', [N, H]], ['C_proj.weight', [N, H]]];
    case 'rwkv':
      return [['w_log', [H]], ['u', [H]], ['key.weight', [H, H]], ['value.weight', [H, H]], ['receptance.weight', [H, H]]];
    case 'mingru':
      return [['z_proj.weight', [H, H]], ['z_proj.bias', [H]], ['h_proj.weight', [H, H]], ['h_proj.bias', [H]]];
    case 'attention':
      return [['q_proj.weight', [H, H]], ['k_proj.weight', [H, H]], ['v_proj.weight', [H, H]], ['o_proj.weight', [H, H]]];
  }
}

/** Every parameter's state_dict name and shape, in state_dict order (the reference files' order). */
export function successorParamShapes(spec: SuccessorSpec): [string, number[]][] {
  const H = spec.hiddenSize;
  const shapes: [string, number[]][] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    const D = blockInputSize(spec, l);
    shapes.push([`layers.${l}.in_proj.weight`, [H, D]], [`layers.${l}.in_proj.bias`, [H]]);
    shapes.push([`layers.${l}.gate_proj.weight`, [H, D]], [`layers.${l}.gate_proj.bias`, [H]]);
    for (const [name, shape] of mixerShapes(spec)) shapes.push([`layers.${l}.mixer.${name}`, shape]);
  }
  shapes.push(['readout.weight', [spec.outputSize, H]], ['readout.bias', [spec.outputSize]]);
  return shapes;
}

export function zeroSuccessorParams(spec: SuccessorSpec): Params {
  const params: Params = {};
  for (const [name, shape] of successorParamShapes(spec)) params[name] = { shape, data: new Float64Array(sizeOf(shape)) };
  return params;
}

/** The tensors whose names start with `prefix` (`layers.0.mixer.`), by the rest of the name, as views. */
export function tensorsUnder(params: Params, prefix: string): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, t] of Object.entries(params) as [string, Tensor][]) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = t.data;
  return out;
}

/** The names the papers give the kinds, for messages. */
const KIND_NAMES: Record<SuccessorKind, string> = { lru: 'LRU', mamba: 'Mamba', rwkv: 'RWKV', mingru: 'minGRU', attention: 'attention' };

export function describeSuccessorSpec(spec: SuccessorSpec): string {
  const extra = hasStateSize(spec.cell) ? `, state ${spec.stateSize}` : spec.cell === 'attention' ? `, ${spec.numHeads} heads` : '';
  return `${spec.numLayers}-layer ${KIND_NAMES[spec.cell]} (input ${spec.inputSize}, hidden ${spec.hiddenSize}${extra}, output ${spec.outputSize})`;
}
