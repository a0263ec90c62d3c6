/**
 * Small things the charts say: the eigenvalue plot's tick at −10 reads "−10" (d3's "~g" printed
 * "−1e+1"); a line chart's reference value of 1.5e4 reads "1.5e4" (one digit printed "2e4"); slow mode spells out the equations of the cell that trains (an LSTM's were shown as a
 * vanilla RNN's); the character model's view shows characters, read through the task's own
 * vocabulary, not class ids.
 */
import { scaleLinear } from 'd3';
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/engine/rng';
import { makeTask } from '../src/engine/tasks';
import { forwardEquations, slowCaption } from '../src/ui/charts/unrolled/slowCaption';
import { fmtTick, tickText } from '../src/ui/format';
import { visibleChar } from '../src/ui/charts/inside/visibleChar';

describe('linear axis ticks', () => {
  it('label −10 as "−10" where the old "~g" axis printed "−1e+1"', () => {
    // eigenvalues up to |λ| = 20: the plot's range is ±1.08 · 20
    const y = scaleLinear().domain([-21.6, 21.6]);
    const ticks = y.ticks(4);
    expect(ticks).toEqual([-20, -10, 0, 10, 20]);
    // d3's own tick format at this step keeps one significant digit: the bug as it was
    expect(ticks.map(y.tickFormat(4, '~g'))).toEqual(['−2e+1', '−1e+1', '0', '1e+1', '2e+1']);
    expect(ticks.map(tickText)).toEqual(['−20', '−10', '0', '10', '20']);
    expect([0.5, -0.25, 1e6].map(tickText)).toEqual(['0.5', '−0.25', '1e6']);
  });
});

describe('line chart ticks and reference values', () => {
  it.each([
    [1e4, '1e4'],
    [1.5e4, '1.5e4'],
    [2.5e-5, '2.5e−5'],
    [-3e-4, '−3e−4'],
    [123456, '1.23e5'],
    [1e-6, '1e−6'],
    [0.5, '0.5'],
    [250, '250'],
    [0, '0'],
  ])('%s reads %s (every digit it has, up to three)', (v, text) => expect(fmtTick(v)).toBe(text));
});

describe('slow mode equations', () => {
  it('are the cell’s own, as PyTorch defines them', () => {
    expect(forwardEquations('rnn', 'tanh', 5)).toBe('h_5 = tanh(W_ih·x_5 + W_hh·h_4 + b)');
    expect(forwardEquations('rnn', 'relu', 5)).toBe('h_5 = ReLU(W_ih·x_5 + W_hh·h_4 + b)');
    expect(forwardEquations('rnn', 'linear', 5)).toBe('h_5 = W_ih·x_5 + W_hh·h_4 + b');
    const lstm = forwardEquations('lstm', 'tanh', 5);
    expect(lstm).toContain('i, f, o = σ(W_ih·x_5 + W_hh·h_4 + b), g = tanh(');
    expect(lstm).toContain('c_5 = f⊙c_4 + i⊙g');
    expect(lstm).toContain('h_5 = o⊙tanh(c_5)');
    const gru = forwardEquations('gru', 'tanh', 5);
    expect(gru).toContain('r, z = σ(W_ih·x_5 + W_hh·h_4 + b)');
    expect(gru).toContain('n = tanh(W_in·x_5 + b_in + r⊙(W_hn·h_4 + b_hn))');
    expect(gru).toContain('h_5 = (1 − z)⊙n + z⊙h_4');
  });

  it('name the LSTM’s whole state on the way back', () => {
    const norms = Float64Array.from([0.5, 0.25, 0.125, 0.0625]);
    expect(slowCaption({ t: 3, phase: 'fwd' }, 4, 0, norms, 'lstm', 'tanh')).toContain('h_3 = o⊙tanh(c_3)');
    expect(slowCaption({ t: 1, phase: 'back' }, 4, 0, norms, 'lstm', 'tanh')).toBe(
      'Backward, step 1: the loss at step 3 reaches (h_1, c_1) through J_3 ⋯ J_2, 2 factors; ‖∂L/∂h_1‖ = 0.25.',
    );
    expect(slowCaption({ t: 1, phase: 'back' }, 4, 2, norms, 'gru', 'tanh')).toBe('Backward, step 1: a cut follows: only this step\'s loss reaches h_1; ‖∂L/∂h_1‖ = 0.25.');
    expect(slowCaption({ t: 2, phase: 'back' }, 4, 0, norms, 'rnn', 'tanh')).toBe('Backward, step 2: the loss at step 3 reaches h_2 through J_3, 1 factor; ‖∂L/∂h_2‖ = 0.125.');
    expect(slowCaption(null, 4, 0, norms, 'rnn', 'tanh')).toBe('');
  });
});

describe('character model view', () => {
  it('reads each target id as the next character of the text, through the task info’s vocabulary', () => {
    const text = 'In the beginning\nGod created the heaven and the earth.\n'.repeat(4); // 220 characters: above the minimum
    const task = makeTask({ kind: 'char_lm', text, T: 12 });
    const vocab = task.info.vocab;
    expect(vocab).toBeDefined();
    if (!vocab) return;
    expect(vocab).toHaveLength(task.info.outputSize);
    const b = task.batch(new Rng(3), 2);
    for (let s = 0; s < 2; s++) {
      // x_t is one-hot (T, B, V); its character followed by the target characters is a piece of the text
      let window = '';
      for (let t = 0; t < b.T; t++) {
        const row = b.x.subarray((t * b.B + s) * b.inputSize, (t * b.B + s + 1) * b.inputSize);
        if (t === 0) window += vocab[row.indexOf(1)];
        window += vocab[(b.target as Float64Array)[t * b.B + s]];
      }
      expect(text).toContain(window);
    }
    expect(vocab.map(visibleChar)).toEqual(expect.arrayContaining(['␣', '↵', '.', 'G']));
  });

  it('makes white space and control characters visible', () => {
    expect([' ', '\n', '\t', '\u0007', '\u0085', 'é', '\ufffd'].map(visibleChar)).toEqual(['␣', '↵', '⇥', '·', '·', 'é', '\ufffd']);
  });
});
