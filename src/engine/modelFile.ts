/**
 * Model files, format `rnn-playground/model@1`: the header of a model and its PyTorch state_dict
 * (names, shapes and gate orders of torch.nn.RNN/LSTM/GRU, plus a Linear named `readout`).
 *
 * Loading validates everything before it builds anything, so a bad file is refused whole with a
 * message that names the problem; nothing is ever half-loaded.
 */
import { describeAnySpec, isSuccessorModel, type AnyModel } from './anyModel';
import { MAX_HIDDEN_SIZE, MAX_LAYERS } from './limits';
import { paramShapes, sizeOf, type CellKind, type InitialState, type Model, type ModelSpec, type Nonlinearity, type Params } from './model';
import { describeSuccessorSpec, hasStateSize, isSuccessorKind, SUCCESSOR_KINDS, successorParamShapes, type SuccessorKind, type SuccessorModel, type SuccessorSpec } from './successors/spec';

export const MODEL_FORMAT = 'rnn-playground/model@1';

/** Sizes beyond these are refused: the playground could not train such a model anyway. Hidden
 *  size and layers are the settings' own ranges (limits.ts), so a loaded file fits the controls. */
export const MODEL_LIMITS = { inputSize: 4096, hiddenSize: MAX_HIDDEN_SIZE, numLayers: MAX_LAYERS, outputSize: 4096 };
/** The successors' own sizes: N of lru and mamba (attention's heads are bounded by hiddenSize). */
export const SUCCESSOR_LIMITS = { stateSize: 1024 };


export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

export interface ModelFileJson {
  format: typeof MODEL_FORMAT;
  cell: CellKind;
  nonlinearity: Nonlinearity;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  outputSize: number;
  /** ours, optional: absent means `zero`, as in PyTorch */
  initialState?: InitialState;
  stateDict: Record<string, unknown>;
}

function fail(message: string): never {
  throw new ModelFileError(message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function oneOf<T extends string>(obj: Record<string, unknown>, key: string, allowed: readonly T[], fallback?: T): T {
  const v = obj[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    fail(`"${key}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')}; got ${describe(v)}.`);
  return v as T;
}

function positiveInt(obj: Record<string, unknown>, key: keyof typeof MODEL_LIMITS | 'stateSize' | 'numHeads', max = key in MODEL_LIMITS ? MODEL_LIMITS[key as keyof typeof MODEL_LIMITS] : SUCCESSOR_LIMITS.stateSize): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
    fail(`"${key}" must be a whole number from 1 to ${max}; got ${describe(v)}.`);
  return v;
}

/** A short preview of a value (as JSON, cut at 40 characters). Bounded: a huge or deeply nested
 *  value is read only as far as the preview needs, so it can neither overflow the stack nor
 *  stringify megabytes. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s = '';
  const add = (x: unknown, depth: number): void => {
    if (s.length > 40) return;
    if (typeof x === 'string') s += JSON.stringify(x.slice(0, 41));
    else if (typeof x !== 'object' || x === null) s += String(x);
    else if (depth > 8) s += Array.isArray(x) ? '[...]' : '{...}';
    else if (Array.isArray(x)) {
      s += '[';
      for (let k = 0; k < x.length && s.length <= 40; k++) {
        if (k) s += ',';
        add(x[k], depth + 1);
      }
      s += ']';
    } else {
      s += '{';
      let first = true;
      for (const k in x) {
        if (s.length > 40) break;
        s += `${first ? '' : ','}${JSON.stringify(k.slice(0, 41))}:`;
        first = false;
        add((x as Record<string, unknown>)[k], depth + 1);
      }
      s += '}';
    }
  };
  add(v, 0);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** A key name for a message: quoted, and cut when it is long. */
function quoteKey(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 37)}...` : name);
}

/** Longer texts are refused before parsing (the page refuses bigger files before reading them). */
export const MAX_MODEL_CHARS = 50 * 1024 * 1024;

/** Reads the nested array `value` of the given shape into a flat Float64Array, or says why not. */
function readTensor(name: string, value: unknown, shape: number[]): Float64Array {
  const data = new Float64Array(sizeOf(shape));
  let i = 0;
  const walk = (v: unknown, depth: number, where: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`"${name}"${where} must be a finite number; got ${describe(v)}.`);
      data[i++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth])
      fail(`"${name}" must have shape [${shape.join(', ')}]; ${where ? `at ${where} ` : ''}found ${Array.isArray(v) ? `${v.length} entries` : describe(v)} where ${shape[depth]} belong.`);
    for (let k = 0; k < v.length; k++) walk(v[k], depth + 1, `${where}[${k}]`);
  };
  walk(value, 0, '');
  return data;
}

/** Reads the header: the model's architecture. */
export function parseSpec(obj: Record<string, unknown>): ModelSpec {
  if (obj.format !== MODEL_FORMAT) fail(`This is not an RNN Playground model: "format" must be "${MODEL_FORMAT}"; got ${describe(obj.format)}.`);
  const cell = oneOf(obj, 'cell', ['rnn', 'lstm', 'gru'] as const);
  const nonlinearity = oneOf(obj, 'nonlinearity', ['tanh', 'relu', 'linear'] as const, 'tanh');
  if (typeof obj.bidirectional !== 'boolean') fail(`"bidirectional" must be true or false; got ${describe(obj.bidirectional)}.`);
  return {
    cell,
    nonlinearity,
    inputSize: positiveInt(obj, 'inputSize'),
    hiddenSize: positiveInt(obj, 'hiddenSize'),
    numLayers: positiveInt(obj, 'numLayers'),
    bidirectional: obj.bidirectional,
    outputSize: positiveInt(obj, 'outputSize'),
    initialState: oneOf(obj, 'initialState', ['zero', 'learned'] as const, 'zero'),
  };
}

/** The file's text (or its parsed JSON) as an object, or a refusal that says why not. */
function parseObject(input: unknown): Record<string, unknown> {
  let obj = input;
  if (typeof input === 'string') {
    if (input.length > MAX_MODEL_CHARS)
      fail(`The model file is too large: ${input.length.toLocaleString('en')} characters, the limit is ${MAX_MODEL_CHARS.toLocaleString('en')}.`);
    try {
      obj = JSON.parse(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input); // a byte-order mark is not JSON
    } catch (e) {
      // Some engines parse recursively and overflow on deep nesting (RangeError).
      const why = e instanceof RangeError ? 'it is nested too deeply' : e instanceof Error ? e.message : String(e);
      fail(`The model file is not valid JSON (${why.length > 200 ? `${why.slice(0, 197)}...` : why}).`);
    }
  }
  if (!isRecord(obj)) fail('The model file must be a JSON object with "format", the architecture and "stateDict".');
  return obj;
}

/** Reads the state_dict against the names and shapes of `what`, all or nothing. */
function readStateDict(obj: Record<string, unknown>, shapes: [string, number[]][], what: string): Params {
  const sd = obj.stateDict;
  if (!isRecord(sd)) fail('"stateDict" must be an object of named weight arrays.');
  const expected = new Set(shapes.map(([n]) => n));
  const missing = shapes.map(([n]) => n).filter((n) => !(n in sd));
  const extra = Object.keys(sd).filter((n) => !expected.has(n));
  if (missing.length || extra.length) {
    const parts = [];
    const list = (names: string[]) => `${names.slice(0, 8).map(quoteKey).join(', ')}${names.length > 8 ? ` and ${names.length - 8} more` : ''}`;
    if (missing.length) parts.push(`missing ${list(missing)}`);
    if (extra.length) parts.push(`unexpected ${list(extra)}`);
    fail(`The state_dict does not fit a ${what}: ${parts.join('; ')}.`);
  }
  const params: Params = {};
  for (const [name, shape] of shapes) params[name] = { shape, data: readTensor(name, sd[name], shape) };
  return params;
}

/** A parsed JSON value (or the file's text) to an RNN, LSTM or GRU Model; throws ModelFileError naming the problem. */
export function loadModel(input: unknown): Model {
  const obj = parseObject(input);
  if (obj.format === MODEL_FORMAT && isSuccessorKind(obj.cell))
    fail(`"cell" must be one of "rnn", "lstm", "gru" here; got ${describe(obj.cell)}, a successor layer that only the float64 engine (npm run engine) runs so far.`);
  const spec = parseSpec(obj);
  return { spec, params: readStateDict(obj, paramShapes(spec), describeAnySpec(spec)) };
}

export { isSuccessorModel, type AnyModel } from './anyModel';

/** Reads the header of a successor model (lru, mamba, rwkv, mingru, attention). */
export function parseSuccessorSpec(obj: Record<string, unknown>): SuccessorSpec {
  if (obj.format !== MODEL_FORMAT) fail(`This is not an RNN Playground model: "format" must be "${MODEL_FORMAT}"; got ${describe(obj.format)}.`);
  const cell = oneOf(obj, 'cell', SUCCESSOR_KINDS);
  if (obj.bidirectional !== false) fail(`"bidirectional" must be false for a ${cell} model (its mixer reads left to right); got ${describe(obj.bidirectional)}.`);
  const hiddenSize = positiveInt(obj, 'hiddenSize');
  return {
    cell,
    inputSize: positiveInt(obj, 'inputSize'),
    hiddenSize,
    numLayers: positiveInt(obj, 'numLayers'),
    outputSize: positiveInt(obj, 'outputSize'),
    stateSize: ownSize(obj, cell, 'stateSize', hasStateSize(cell), SUCCESSOR_LIMITS.stateSize),
    numHeads: ownSize(obj, cell, 'numHeads', cell === 'attention', hiddenSize),
    bidirectional: false,
  };
}

/** `stateSize` (lru, mamba) or `numHeads` (attention, dividing hiddenSize): required where the kind has it, refused where it has not. */
function ownSize(obj: Record<string, unknown>, cell: SuccessorKind, key: 'stateSize' | 'numHeads', has: boolean, max: number): number {
  const owners = key === 'stateSize' ? 'lru and mamba models' : 'attention models';
  if (!has) {
    if (obj[key] !== undefined) fail(`"${key}" belongs to ${owners}; a ${cell} model has none, got ${describe(obj[key])}.`);
    return 0;
  }
  const v = positiveInt(obj, key, max);
  if (key === 'numHeads' && (obj.hiddenSize as number) % v !== 0) fail(`"numHeads" must divide "hiddenSize" (${obj.hiddenSize as number}); got ${v}.`);
  return v;
}

/** Any model file this engine reads, RNN or successor, by its "cell". */
export function loadAnyModel(input: unknown): AnyModel {
  const obj = parseObject(input);
  if (obj.format !== MODEL_FORMAT || !isSuccessorKind(obj.cell)) {
    if (obj.format === MODEL_FORMAT) oneOf(obj, 'cell', ['rnn', 'lstm', 'gru', ...SUCCESSOR_KINDS] as const);
    return loadModel(obj);
  }
  const spec = parseSuccessorSpec(obj);
  return { spec, params: readStateDict(obj, successorParamShapes(spec), describeSuccessorSpec(spec)) };
}


/** A flat buffer and its shape to nested arrays. */
export function toNested(data: ArrayLike<number>, shape: number[]): unknown {
  const build = (depth: number, offset: number): unknown => {
    if (depth === shape.length - 1) return Array.from({ length: shape[depth] }, (_, k) => data[offset + k]);
    const stride = sizeOf(shape.slice(depth + 1));
    return Array.from({ length: shape[depth] }, (_, k) => build(depth + 1, offset + k * stride));
  };
  return build(0, 0);
}

export function stateDictOf(params: Params): Record<string, unknown> {
  const sd: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(params)) sd[name] = toNested(t.data, t.shape);
  return sd;
}

export function saveModel(model: Model): ModelFileJson {
  const { spec } = model;
  return {
    format: MODEL_FORMAT,
    cell: spec.cell,
    nonlinearity: spec.nonlinearity,
    inputSize: spec.inputSize,
    hiddenSize: spec.hiddenSize,
    numLayers: spec.numLayers,
    bidirectional: spec.bidirectional,
    outputSize: spec.outputSize,
    ...(spec.initialState === 'learned' ? { initialState: spec.initialState } : {}),
    stateDict: stateDictOf(model.params),
  };
}

export interface SuccessorModelFileJson {
  format: typeof MODEL_FORMAT;
  cell: SuccessorKind;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: false;
  outputSize: number;
  stateSize?: number;
  numHeads?: number;
  stateDict: Record<string, unknown>;
}

/** A successor model as a file: the header the reference cases use (stateSize or numHeads where the kind has one). */
export function saveSuccessorModel(model: SuccessorModel): SuccessorModelFileJson {
  const { cell, inputSize, hiddenSize, numLayers, outputSize, stateSize, numHeads } = model.spec;
  const own = hasStateSize(cell) ? { stateSize } : cell === 'attention' ? { numHeads } : {};
  return { format: MODEL_FORMAT, cell, inputSize, hiddenSize, numLayers, bidirectional: false, outputSize, ...own, stateDict: stateDictOf(model.params) };
}

export function saveAnyModel(model: AnyModel): ModelFileJson | SuccessorModelFileJson {
  return isSuccessorModel(model) ? saveSuccessorModel(model) : saveModel(model);
}
