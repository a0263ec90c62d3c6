/**
 * Where to look in each lesson, in one table: the line the lesson menu shows, the panel of the
 * full playground the narration points at (highlighted while the lesson is on), and what to watch
 * there. A comparing lesson's cards are its view; `look` is said above them.
 */
export type PanelId = 'unrolled' | 'gradient-norms' | 'training' | 'spectra' | 'inside' | 'status' | 'seq2seq';

export interface LessonGuide {
  /** what the lesson shows, in one line (the lesson menu's hover and the list) */
  shows: string;
  /** the panel the narration names, highlighted in the full playground */
  panel: PanelId;
  /** what to watch there, one sentence */
  look: string;
}

export const GUIDES: Record<string, LessonGuide> = {
  vanishing: { shows: 'A tanh RNN at ρ = 0.5 cannot echo across 30 steps: its gradient vanishes.', panel: 'gradient-norms', look: 'Look here: ‖∂L/∂h_t‖ falls by orders of magnitude from the last step back to the first.' },
  exploding: { shows: 'A ReLU RNN at ρ = 1.5 blows up without clipping and trains with it.', panel: 'training', look: 'Look here: the gradient norm before clipping, and the clip events along the bottom.' },
  irnn: { shows: 'Identity initialization (IRNN) solves the adding problem over 100 steps; tanh does not.', panel: 'training', look: 'Look here: the mean squared error against the 0.167 baseline.' },
  gated: { shows: 'A GRU remembers through 30 blank steps; a vanilla RNN forgets.', panel: 'training', look: 'Look here: the cross-entropy per step against the memoryless baseline.' },
  truncation: { shows: 'Truncated BPTT cannot learn a lag longer than its window; full BPTT can.', panel: 'gradient-norms', look: 'Look here: under truncation ‖∂L/∂h_t‖ is exactly zero on the steps no window reaches.' },
  bidirectional: { shows: 'Tagging by a future marker: two directions succeed, one cannot.', panel: 'training', look: 'Look here: the tagging accuracy against its memoryless baseline.' },
  'char-lm': { shows: 'An LSTM learns Genesis character by character and writes text.', panel: 'training', look: 'Look here: bits per character falling below the 4.36-bit unigram baseline.' },
  streaming: { shows: 'One-step-ahead prediction of a noisy stream, state carried across chunks.', panel: 'training', look: 'Look here: the error falling from the signal variance towards the noise floor.' },
  'init-lab': { shows: 'Before training: J_t singular values for Gaussian, orthogonal and identity W_hh.', panel: 'spectra', look: 'Look here: the singular values of J_t, (b) σ(J_p).' },
  'selective-copy': { shows: 'Selective copying through 64 noise steps: Mamba picks the symbols out; the LRU cannot select.', panel: 'training', look: 'Look here: the recall accuracy, Mamba above 90 % and the LRU far below, against the 12.5 % baseline.' },
  'associative-recall': { shows: 'Recalling 16 key–value pairs: attention looks the key up; an LSTM and Mamba must compress every pair.', panel: 'training', look: 'Look here: the answer accuracy, attention climbing to 100 % while the LSTM and Mamba stay far below, against the 12.5 % baseline.' },
  'seq2seq-attention': { shows: 'Reversing 16 symbols: one handed-over state is a bottleneck; attending over the encoder removes it.', panel: 'seq2seq', look: 'Look here: each run’s per-token accuracy (teacher forced) against the 12.5 % baseline; the full playground’s Encoder → decoder panel adds free running and the weights α.' },
  'attention-cost': { shows: "Attention's cost grows as T² and its memory with T; a recurrence's per step stays fixed.", panel: 'status', look: 'Look here: FLOPs and memory against T for every kind, and the measured time per step.' },
  'long-memory': { shows: 'Copy memory through 200 blank steps: an LRU with |λ| near 1 learns it; a tanh RNN stays at the baseline.', panel: 'gradient-norms', look: 'Look here: ‖∂L/∂x_t‖ by time step, nearly level back to the symbols for the LRU, orders of magnitude down for the RNN.' },
};

export function guideFor(id: string | null): LessonGuide | null {
  return (id && GUIDES[id]) || null;
}
