/**
 * gpu.js kernel sources, generated as strings with every size and offset written in as a literal
 * (a minifier would rename a function kernel's parameters; literals also keep loops constant).
 * Textures, one per step, all (B rows) × columns:
 *   F_t  (B, S), S = (G+3)·H: [h | c | gate values (G·H) | W_hn h + b_hn]   forward state of step t
 *   dS_t (B, W), W = (2G+2)·H: [∂L/∂(W_ih x + b_ih) | ∂L/∂(W_hh h + b_hh) | total ∂L/∂h_t | ∂L/∂c_t]
 * The start state uses F's layout (h, c in the first 2H columns). Gate orders: LSTM i,f,g,o; GRU r,z,n.
 */
import type { CellKind, Nonlinearity } from '../../engine/model';

/** Sizes and θ offsets of one layer and direction. */
export interface StepShape {
  cell: CellKind;
  phi: Nonlinearity;
  B: number;
  H: number;
  /** the layer's input size */
  D: number;
  /** the input's first Da columns come from `xa`, the rest from `xb` (a bidirectional layer below) */
  Da: number;
  /** offsets of W_ih (G·H, D), W_hh (G·H, H), b_ih, b_hh in θ */
  base: number;
  /** column offset of this direction in the layer's output: dir · H */
  dirCol: number;
}

export function gates(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}
export const stateWidth = (cell: CellKind, H: number) => (gates(cell) + 3) * H;
export const gradWidth = (cell: CellKind, H: number) => (2 * gates(cell) + 2) * H;

const clampE = (e: string, m: number) => `Math.min(Math.max(${e}, -${m}), ${m})`;
const sig = (e: string) => `(1 / (1 + Math.exp(-${clampE(e, 30)})))`;
const tnh = (e: string) => `Math.tanh(${clampE(e, 15)})`;

function offsets(s: StepShape) {
  const GH = gates(s.cell) * s.H;
  const whh = s.base + GH * s.D;
  const bih = whh + GH * s.H;
  return { GH, whh, bih, bhh: bih + GH };
}

/** x_t[b][k] of the layer's input, from one texture or two. */
function xAt(s: StepShape, k: string): string {
  return s.Da >= s.D ? `xa[b][${k}]` : `(${k} < ${s.Da} ? xa[b][${k}] : xb[b][${k} - ${s.Da}])`;
}

/** Declares `${n}i` = (W_ih x + b_ih)[row] and `${n}h` = (W_hh h_prev + b_hh)[row]. */
function pre(s: StepShape, n: string, row: string): string {
  const { whh, bih, bhh } = offsets(s);
  return `
  let ${n}i = theta[${bih} + ${row}];
  for (let k = 0; k < ${s.D}; k++) { ${n}i += theta[${s.base} + (${row}) * ${s.D} + k] * ${xAt(s, 'k')}; }
  let ${n}h = theta[${bhh} + ${row}];
  for (let k = 0; k < ${s.H}; k++) { ${n}h += theta[${whh} + (${row}) * ${s.H} + k] * prev[b][k]; }`;
}

function phi(kind: Nonlinearity, e: string): string {
  return kind === 'tanh' ? tnh(e) : kind === 'relu' ? `Math.max(${e}, 0)` : e;
}
function dphi(kind: Nonlinearity, h: string): string {
  return kind === 'tanh' ? `(1 - ${h} * ${h})` : kind === 'relu' ? `(${h} > 0 ? 1 : 0)` : '1';
}

/** F_t from (θ, x_t as xa/xb, F_{t−1}): thread (column, b). Output [S, B]. */
export function forwardSource(s: StepShape): string {
  const { H } = s;
  const head = `function (theta, xa, xb, prev) {
  const b = this.thread.y;
  const col = this.thread.x;
  const j = col % ${H};
  const region = Math.floor(col / ${H});`;
  if (s.cell === 'rnn') {
    // regions: 0 h, 1 c (none), 2 gate (= h), 3 hn (none)
    return `${head}
  if (region == 1 || region == 3) { return 0; }${pre(s, 'a', 'j')}
  return ${phi(s.phi, 'ai + ah')};
}`;
  }
  if (s.cell === 'lstm') {
    // regions: 0 h, 1 c, 2..5 gates i f g o, 6 hn (none)
    return `${head}
  if (region == 6) { return 0; }
  if (region >= 2) {
    const row = (region - 2) * ${H} + j;${pre(s, 'q', 'row')}
    if (region == 4) { return ${tnh('qi + qh')}; }
    return ${sig('qi + qh')};
  }${pre(s, 'i', 'j')}${pre(s, 'f', `${H} + j`)}${pre(s, 'g', `${2 * H} + j`)}
  const c = ${sig('fi + fh')} * prev[b][${H} + j] + ${sig('ii + ih')} * ${tnh('gi + gh')};
  if (region == 1) { return c; }${pre(s, 'o', `${3 * H} + j`)}
  return ${sig('oi + oh')} * ${tnh('c')};
}`;
  }
  // GRU regions: 0 h, 1 c (none), 2 r, 3 z, 4 n, 5 W_hn h + b_hn
  return `${head}
  if (region == 1) { return 0; }
  if (region == 2 || region == 3) {
    const row = (region - 2) * ${H} + j;${pre(s, 'q', 'row')}
    return ${sig('qi + qh')};
  }${pre(s, 'n', `${2 * H} + j`)}
  if (region == 5) { return nh; }${pre(s, 'r', 'j')}
  const n = ${tnh(`ni + ${sig('ri + rh')} * nh`)};
  if (region == 4) { return n; }${pre(s, 'z', `${H} + j`)}
  const z = ${sig('zi + zh')};
  return (1 - z) * n + z * prev[b][j];
}`;
}

/**
 * dS_t from (θ, F_t, F_{t−1}, F and dS of the step processed next, the direct ∂L/∂h_t (B, H·dirs)).
 * hasNext = 0 at the last step and where truncation detached the state entering the next step.
 */
export function backwardSource(s: StepShape): string {
  const { H } = s;
  const G = gates(s.cell);
  const { GH, whh } = offsets(s);
  const fromNext =
    s.cell === 'gru'
      ? `\n    dh += dSnext[b][${2 * GH} + j] * next[b][${3 * H} + j];`
      : s.cell === 'lstm'
        ? `\n    dcn = dSnext[b][${2 * GH + H} + j] * next[b][${3 * H} + j];`
        : '';
  const head = `function (theta, cur, prev, next, dSnext, dOut, hasNext) {
  const b = this.thread.y;
  const col = this.thread.x;
  const j = col % ${H};
  const region = Math.floor(col / ${H});
  let dh = dOut[b][${s.dirCol} + j];
  let dcn = 0;
  if (hasNext > 0.5) {
    for (let r = 0; r < ${GH}; r++) { dh += theta[${whh} + r * ${H} + j] * dSnext[b][${GH} + r]; }${fromNext}
  }
  if (region == ${2 * G}) { return dh; }`;
  if (s.cell === 'rnn') {
    return `${head}
  if (region == 3) { return dcn; }
  const h = cur[b][j];
  return dh * ${dphi(s.phi, 'h')};
}`;
  }
  if (s.cell === 'lstm') {
    return `${head}
  const ig = cur[b][${2 * H} + j];
  const fg = cur[b][${3 * H} + j];
  const gg = cur[b][${4 * H} + j];
  const og = cur[b][${5 * H} + j];
  const tc = ${tnh(`cur[b][${H} + j]`)};
  const dc = dcn + dh * og * (1 - tc * tc);
  if (region == 9) { return dc; }
  const gate = region % 4;
  if (gate == 0) { return dc * gg * ig * (1 - ig); }
  if (gate == 1) { return dc * prev[b][${H} + j] * fg * (1 - fg); }
  if (gate == 2) { return dc * ig * (1 - gg * gg); }
  return dh * tc * og * (1 - og);
}`;
  }
  return `${head}
  if (region == 7) { return dcn; }
  const r = cur[b][${2 * H} + j];
  const z = cur[b][${3 * H} + j];
  const n = cur[b][${4 * H} + j];
  const hn = cur[b][${5 * H} + j];
  const dan = dh * (1 - z) * (1 - n * n);
  if (region == 1 || region == 4) { return dh * (prev[b][j] - n) * z * (1 - z); }
  if (region == 2) { return dan; }
  if (region == 5) { return dan * r; }
  return dan * hn * r * (1 - r);
}`;
}

/** acc + this step's share of ∂L/∂[W_ih, W_hh, b_ih, b_hh]: output [G·H·(D+H+2)]. */
export function gradAccSource(s: StepShape): string {
  const { H, D, B } = s;
  const { GH } = offsets(s);
  const GHD = GH * D;
  const GHH = GH * H;
  return `function (acc, dS, xa, xb, prev) {
  const i = this.thread.x;
  let v = acc[i];
  if (i < ${GHD}) {
    const row = Math.floor(i / ${D});
    const k = i - row * ${D};
    for (let b = 0; b < ${B}; b++) { v += dS[b][row] * ${xAt(s, 'k')}; }
  } else if (i < ${GHD + GHH}) {
    const row = Math.floor((i - ${GHD}) / ${H});
    const k = i - ${GHD} - row * ${H};
    for (let b = 0; b < ${B}; b++) { v += dS[b][${GH} + row] * prev[b][k]; }
  } else {
    const q = i - ${GHD + GHH};
    for (let b = 0; b < ${B}; b++) { v += dS[b][q]; }
  }
  return v;
}`;
}

/** ∂L/∂x_t of a layer above the first, (B, D): Σ over directions of W_ihᵀ ∂L/∂(W_ih x + b_ih). */
export function inputGradSource(GH: number, D: number, bases: number[]): string {
  const sum = (tex: string, base: number) => `\n  for (let r = 0; r < ${GH}; r++) { s += ${tex}[b][r] * theta[${base} + r * ${D} + k]; }`;
  return `function (theta, dSa, dSb) {
  const b = this.thread.y;
  const k = this.thread.x;
  let s = 0;${sum('dSa', bases[0])}${bases.length > 1 ? sum('dSb', bases[1]) : ''}
  return s;
}`;
}

export const UPLOAD_1D = `function (a) { return a[this.thread.x]; }`;
export const UPLOAD_2D = `function (a) { return a[this.thread.y][this.thread.x]; }`;
export const ZERO = `function () { return 0; }`;
