/**
 * The model: a stack of recurrent layers (each one or two directions) and a linear readout.
 * Parameter names, shapes and gate orders are PyTorch's (`torch.nn.RNN/LSTM/GRU` plus a
 * `torch.nn.Linear` named `readout`), so a state_dict moves between the two unchanged.
 */
export type CellKind = 'rnn' | 'lstm' | 'gru';
/** `linear` is ours (PyTorch has only tanh and relu): it gives closed forms for teaching. */
export type Nonlinearity = 'tanh' | 'relu' | 'linear';
export type InitialState = 'zero' | 'learned';

export interface ModelSpec {
  cell: CellKind;
  /** Used by the vanilla RNN only; LSTM and GRU have their fixed gate nonlinearities. */
  nonlinearity: Nonlinearity;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  outputSize: number;
  /** `learned` adds a parameter `h0_l{l}` (and `c0_l{l}` for LSTM) per layer and direction. */
  initialState: InitialState;
}

export interface Tensor {
  shape: number[];
  data: Float64Array;
}

/** Parameters by state_dict name, in state_dict order. */
export type Params = Record<string, Tensor>;

export interface Model {
  spec: ModelSpec;
  params: Params;
}

/** Gates per cell: the `G` of `weight_ih (G·H, D)`. LSTM i,f,g,o; GRU r,z,n. */
export function gatesOf(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

export function directionsOf(spec: Pick<ModelSpec, 'bidirectional'>): number {
  return spec.bidirectional ? 2 : 1;
}

/** The suffix PyTorch gives a direction's parameters. */
export function directionSuffix(dir: number): string {
  return dir === 0 ? '' : '_reverse';
}

/** Input size of layer `l`: the data for l = 0, the previous layer's `H · directions` above. */
export function layerInputSize(spec: ModelSpec, l: number): number {
  return l === 0 ? spec.inputSize : spec.hiddenSize * directionsOf(spec);
}

/** Every parameter's name and shape, in state_dict order. */
export function paramShapes(spec: ModelSpec): [string, number[]][] {
  const G = gatesOf(spec.cell);
  const H = spec.hiddenSize;
  const shapes: [string, number[]][] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    for (let dir = 0; dir < directionsOf(spec); dir++) {
      const sfx = `_l${l}${directionSuffix(dir)}`;
      shapes.push([`weight_ih${sfx}`, [G * H, layerInputSize(spec, l)]]);
      shapes.push([`weight_hh${sfx}`, [G * H, H]]);
      shapes.push([`bias_ih${sfx}`, [G * H]]);
      shapes.push([`bias_hh${sfx}`, [G * H]]);
    }
  }
  if (spec.initialState === 'learned') {
    for (let l = 0; l < spec.numLayers; l++) {
      for (let dir = 0; dir < directionsOf(spec); dir++) {
        const sfx = `_l${l}${directionSuffix(dir)}`;
        shapes.push([`h0${sfx}`, [H]]);
        if (spec.cell === 'lstm') shapes.push([`c0${sfx}`, [H]]);
      }
    }
  }
  // An encoder (outputSize 0) has no readout of its own: its final state is its output.
  if (spec.outputSize > 0) {
    shapes.push(['readout.weight', [spec.outputSize, H * directionsOf(spec)]]);
    shapes.push(['readout.bias', [spec.outputSize]]);
  }
  return shapes;
}

export function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function zeroParams(spec: ModelSpec): Params {
  const params: Params = {};
  for (const [name, shape] of paramShapes(spec)) params[name] = { shape, data: new Float64Array(sizeOf(shape)) };
  return params;
}

export function cloneParams(params: Params): Params {
  const out: Params = {};
  for (const [name, t] of Object.entries(params)) out[name] = { shape: [...t.shape], data: new Float64Array(t.data) };
  return out;
}

export function cloneModel(model: Model): Model {
  return { spec: { ...model.spec }, params: cloneParams(model.params) };
}

/** The parameters of one layer and direction, as views (no copies). */
export interface LayerParams {
  /** (G·H, D_l) */
  W_ih: Float64Array;
  /** (G·H, H) */
  W_hh: Float64Array;
  /** (G·H) */
  b_ih: Float64Array;
  /** (G·H) */
  b_hh: Float64Array;
  /** (H), learned initial state, when the model has one */
  h0: Float64Array | null;
  /** (H), LSTM only */
  c0: Float64Array | null;
}

export function layerParams(params: Params, l: number, dir: number): LayerParams {
  const sfx = `_l${l}${directionSuffix(dir)}`;
  return {
    W_ih: params[`weight_ih${sfx}`].data,
    W_hh: params[`weight_hh${sfx}`].data,
    b_ih: params[`bias_ih${sfx}`].data,
    b_hh: params[`bias_hh${sfx}`].data,
    h0: params[`h0${sfx}`]?.data ?? null,
    c0: params[`c0${sfx}`]?.data ?? null,
  };
}

/** Count of scalar parameters. */
export function parameterCount(spec: ModelSpec): number {
  return paramShapes(spec).reduce((n, [, shape]) => n + sizeOf(shape), 0);
}
