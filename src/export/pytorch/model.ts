/**
 * The RNN model's part of the script: torch.nn.RNN/LSTM/GRU with a Linear readout, subclassed so
 * that its state_dict names are the model file's (weight_ih_l0, …, h0_l0, …, readout.weight), and
 * the same layers written out step by step (the cells' equations, src/engine/cells) for what
 * PyTorch's fused layer cannot do: detach the state every k steps (truncated BPTT), and the
 * playground's `linear` nonlinearity.
 */
import type { ModelSpec } from '../../engine/model';
import { dedent, pyBool, pyStr } from './python';

const TORCH_CLASS = { rnn: 'nn.RNN', lstm: 'nn.LSTM', gru: 'nn.GRU' } as const;

export function modelSection(spec: ModelSpec, truncation: number | null): string {
  const base = TORCH_CLASS[spec.cell];
  const lstm = spec.cell === 'lstm';
  const fused = truncation === null && !(spec.cell === 'rnn' && spec.nonlinearity === 'linear');
  const rnnArg = spec.cell === 'rnn' && spec.nonlinearity !== 'linear' ? `, nonlinearity=${pyStr(spec.nonlinearity)}` : '';
  const cellStep = {
    rnn: String.raw`
      def cell_step(x_t, h, c, W_ih, W_hh, b_ih, b_hh):
          """Elman RNN: h_t = phi(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), phi = ${spec.nonlinearity}."""
          a = x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh
          return ${spec.nonlinearity === 'tanh' ? 'torch.tanh(a)' : spec.nonlinearity === 'relu' ? 'torch.relu(a)' : 'a'}, None${spec.nonlinearity === 'linear' ? '  # linear: phi is the identity' : ''}
    `,
    lstm: String.raw`
      def cell_step(x_t, h, c, W_ih, W_hh, b_ih, b_hh):
          """LSTM, gate order i, f, g, o as torch.nn.LSTM: c_t = f*c_{t-1} + i*g, h_t = o*tanh(c_t)."""
          gates = x_t @ W_ih.T + b_ih + h @ W_hh.T + b_hh  # (B, 4H)
          i, f, g, o = gates.chunk(4, dim=1)
          i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
          c = f * c + i * g
          return o * torch.tanh(c), c
    `,
    gru: String.raw`
      def cell_step(x_t, h, c, W_ih, W_hh, b_ih, b_hh):
          """GRU, gate order r, z, n as torch.nn.GRU: n = tanh(W_in x + b_in + r*(W_hn h + b_hn)),
          h_t = (1 - z)*n + z*h_{t-1}."""
          gi = x_t @ W_ih.T + b_ih  # (B, 3H)
          gh = h @ W_hh.T + b_hh  # (B, 3H)
          i_r, i_z, i_n = gi.chunk(3, dim=1)
          h_r, h_z, h_n = gh.chunk(3, dim=1)
          r = torch.sigmoid(i_r + h_r)  # reset gate
          z = torch.sigmoid(i_z + h_z)  # update gate
          n = torch.tanh(i_n + r * h_n)  # candidate
          return (1 - z) * n + z * h, None
    `,
  }[spec.cell];
  return dedent(String.raw`
    # ---------------------------------------------------------------------------------------------
    # 3. The model: ${spec.numLayers}-layer ${spec.bidirectional ? 'bidirectional ' : ''}${spec.cell === 'rnn' ? `${spec.nonlinearity} RNN` : spec.cell.toUpperCase()}, then a linear readout
    # ---------------------------------------------------------------------------------------------
    INPUT_SIZE, HIDDEN_SIZE, OUTPUT_SIZE = ${spec.inputSize}, ${spec.hiddenSize}, ${spec.outputSize}
    NUM_LAYERS, DIRECTIONS = ${spec.numLayers}, ${spec.bidirectional ? 2 : 1}
    LEARNED_START = ${pyBool(spec.initialState === 'learned')}  # h_0${lstm ? ' and c_0' : ''}: ${spec.initialState === 'learned' ? 'parameters, one per layer and direction' : 'zero'}
    TRUNCATION = ${truncation ?? 'None'}  # ${truncation === null ? 'full BPTT' : `truncated BPTT: the state is detached every ${truncation} steps`}


    def suffix(l, d):
        """PyTorch's parameter suffix of layer l, direction d (1 = reverse)."""
        return f"_l{l}" + ("_reverse" if d else "")
  `) + '\n\n\n' + dedent(cellStep) + '\n\n\n' + dedent(String.raw`
    class Model(${base}):
        """${base} plus a readout nn.Linear: its state_dict is the playground's model file."""

        def __init__(self):
            super().__init__(INPUT_SIZE, HIDDEN_SIZE, num_layers=NUM_LAYERS, bidirectional=DIRECTIONS == 2${rnnArg})
            if LEARNED_START:  # a learned start state per layer and direction, broadcast over the batch
                for l in range(NUM_LAYERS):
                    for d in range(DIRECTIONS):
                        self.register_parameter("h0" + suffix(l, d), nn.Parameter(torch.zeros(HIDDEN_SIZE)))${lstm ? `
                        self.register_parameter("c0" + suffix(l, d), nn.Parameter(torch.zeros(HIDDEN_SIZE)))` : ''}
            self.readout = nn.Linear(HIDDEN_SIZE * DIRECTIONS, OUTPUT_SIZE)

        def start_state(self, B, carried, like):
            """(h, c) of every layer and direction (index l * DIRECTIONS + d): the state carried over
            from the last chunk of a stream, else the learned or zero start."""
            if carried is not None:
                return carried
            state = []
            for l in range(NUM_LAYERS):
                for d in range(DIRECTIONS):
                    if LEARNED_START:
                        h = getattr(self, "h0" + suffix(l, d)).expand(B, HIDDEN_SIZE)
                        c = ${lstm ? 'getattr(self, "c0" + suffix(l, d)).expand(B, HIDDEN_SIZE)' : 'None'}
                    else:
                        h = like.new_zeros(B, HIDDEN_SIZE)
                        c = ${lstm ? 'like.new_zeros(B, HIDDEN_SIZE)' : 'None'}
                    state.append((h, c))
            return state

        def forward(self, x, carried=None):
            """x (T, B, D) -> the top layer's states (T, B, H * DIRECTIONS) and the final state."""
            start = self.start_state(x.shape[1], carried, x)
            ${fused ? 'return self.fused(x, start)' : 'return self.unrolled(x, start)'}
  ${fused ? String.raw`
        def fused(self, x, start):
            """Full BPTT: PyTorch's own ${base} (cuDNN on a GPU) over the whole sequence."""
            h0 = torch.stack([h for h, c in start])  # (layers * directions, B, H)
            ${lstm ? 'out, (h_n, c_n) = super().forward(x, (h0, torch.stack([c for h, c in start])))' : 'out, h_n = super().forward(x, h0)'}
            return out, [(h_n[i], ${lstm ? 'c_n[i]' : 'None'}) for i in range(h_n.shape[0])]
  ` : ''}
        def unrolled(self, x, start):
            """The same layers one step at a time, every layer and direction, so that the state
            entering step p (p = k, 2k, ... counted in the direction's own order) can be detached:
            no gradient crosses a chunk boundary."""
            T = x.shape[0]
            inp, final = x, []
            for l in range(NUM_LAYERS):
                outs = []
                for d in range(DIRECTIONS):
                    sfx = suffix(l, d)
                    W = [getattr(self, name + sfx) for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
                    h, c = start[l * DIRECTIONS + d]
                    hs = [None] * T
                    for p in range(T):
                        t = p if d == 0 else T - 1 - p
                        if TRUNCATION is not None and p > 0 and p % TRUNCATION == 0:
                            h = h.detach()
                            c = c.detach() if c is not None else None
                        h, c = cell_step(inp[t], h, c, *W)
                        hs[t] = h
                    outs.append(torch.stack(hs))  # (T, B, H)
                    final.append((h, c))
                inp = torch.cat(outs, dim=2)  # (T, B, H * DIRECTIONS): the next layer's input
            return inp, final
  `).replace(/\n\s*\n\s*\n(\s+def unrolled)/, '\n\n$1');
}
