/**
 * What every WGSL kernel of the WebGPU backend shares: its three bindings (the arena, its own
 * parameters, the scalar slots), the parameter struct made from a field list, the 1-D thread
 * index, and the activations. A kernel file gives a `Program` (name, fields, body) and records
 * dispatches of it through the Recorder.
 *
 * Bindings, the same for every kernel so that one bind group serves them all:
 *   0  arena  (floats)   every buffer of the training step, addressed by float offset (Ptr)
 *   1  u      Params     this dispatch's pointers, sizes and constants (a dynamic offset into the
 *                        flush's parameter buffer)
 *   2  slots  (SLOTS)    the step's scalars (loss, Σg² before and after clipping, clipped, applied)
 */
import { SLOT } from '../../train/kernels';

/** Threads per workgroup of the 1-D kernels. */
export const WORKGROUP = 64;
/** Scalars in every Params block (u32 or f32): 64 bytes. */
export const PARAMS_SCALARS = 16;
export const PARAMS_BYTES = 4 * PARAMS_SCALARS;
/** Bytes between Params blocks: WebGPU's largest minUniformBufferOffsetAlignment. */
export const PARAMS_ALIGN = 256;

export type Field = readonly [name: string, type: 'u32' | 'f32'];

export interface Program {
  /** the kernel's name (pipeline cache key and label) */
  name: string;
  /** the Params fields in order, at most PARAMS_SCALARS */
  fields: readonly Field[];
  /** WGSL after the shared prelude: the kernel's `main` and its helpers */
  body: string;
}

/** Fields that are all u32 (pointers and sizes), the common case. */
export const u32s = (...names: string[]): Field[] => names.map((n) => [n, 'u32'] as const);

export function paramsStruct(fields: readonly Field[]): string {
  if (fields.length > PARAMS_SCALARS) throw new Error(`a kernel takes at most ${PARAMS_SCALARS} parameters`);
  const pad = Array.from({ length: PARAMS_SCALARS - fields.length }, (_, i) => `_pad${i}: u32,`);
  return `struct Params { ${[...fields.map(([n, t]) => `${n}: ${t},`), ...pad].join(' ')} }`;
}

const PRELUDE = `
@group(0) @binding(0) var<storage, read_write> arena: array<f32>;
@group(0) @binding(1) var<uniform> u: Params;
@group(0) @binding(2) var<storage, read_write> slots: array<f32>;
const SLOT_LOSS = ${SLOT.loss}u;
const SLOT_SUMSQ_BEFORE = ${SLOT.sumsqBefore}u;
const SLOT_SUMSQ_AFTER = ${SLOT.sumsqAfter}u;
const SLOT_CLIPPED = ${SLOT.clipped}u;
const SLOT_APPLIED = ${SLOT.applied}u;
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
// SwiftShader's tanh gives NaN past |x| ≈ 89 and exp overflows: clamp first (tanh(15) and σ(30)
// are 1 in f32). A NaN passes through unclamped, so that it reaches the loss as in PyTorch.
fn tanhc(a: f32) -> f32 { if (isNan(a)) { return a; } return tanh(clamp(a, -15.0, 15.0)); }
fn sigm(a: f32) -> f32 { if (isNan(a)) { return a; } return 1.0 / (1.0 + exp(-clamp(a, -30.0, 30.0))); }`;

/** The whole WGSL source of a program. */
export function sourceOf(p: Program): string {
  return [paramsStruct(p.fields), PRELUDE, p.body].join('\n');
}

/** `main` of a 1-D kernel: thread i of WORKGROUP-wide groups spread over a 2-D grid (see grid). */
export const MAIN_1D = `
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP}u;`;

/** `main` of a cell's elementwise step: thread i is unit j of batch row b, for B·H threads
 *  (the Params need fields B and H). */
export const MAIN_UNIT = `${MAIN_1D}
  if (i >= u.B * u.H) { return; }
  let H = u.H;
  let b = i / H;
  let j = i % H;`;

/** Workgroups for `threads` threads of a 1-D kernel, spread over y past the 65 535 limit of x. */
export function grid(threads: number): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / WORKGROUP));
  if (groups <= 65535) return [groups, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y];
}

/** Threads of the one-workgroup reductions (sumsq, loss, the update's clipping). */
export const REDUCE = 256;

/** `main` of a one-workgroup reduction: thread lid of REDUCE, `red` its workgroup scratch. */
export const MAIN_REDUCE = `
var<workgroup> red: array<vec2<f32>, ${REDUCE}>;
/** Tree sum of red[·].x and max of red[·].y over the workgroup; every thread gets the result (once per kernel: red is not fenced for a second use). */
fn reduce(lid: u32, v: vec2<f32>) -> vec2<f32> {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${REDUCE / 2}u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] = vec2<f32>(red[lid].x + red[lid + s].x, max(red[lid].y, red[lid + s].y)); }
    workgroupBarrier();
  }
  return red[0];
}
@compute @workgroup_size(${REDUCE})
fn main(@builtin(local_invocation_index) lid: u32) {`;
