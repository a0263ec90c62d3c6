/**
 * The successor blocks' part of the script: the block of /work/shared/reference/README.md (and
 * src/engine/successors/block.ts) as small nn.Modules whose state_dict names are the model file's,
 *   v_t = in_proj(u_t),  c_t = mixer(v_1 … v_t),  o_t = c_t ⊙ silu(gate_proj(u_t)),
 * with each mixer's equations written out as a loop over t (the recurrent ones detach their state
 * entering steps k, 2k, … under truncation; attention has no state and ignores it).
 */
import type { SuccessorKind, SuccessorSpec } from '../../engine/successors/spec';
import { dedent } from './python';

const MIXERS: Record<SuccessorKind, string> = {
  lru: String.raw`
    class Mixer(nn.Module):
        """The Linear Recurrent Unit (Orvieto et al. 2023): a diagonal complex linear recurrence,
        kept here as real and imaginary parts.
            lambda = exp(-exp(nu_log) + i exp(theta_log)),  gamma = exp(gamma_log)       (N)
            x_t = lambda * x_{t-1} + gamma * (B v_t),  B = B_re + i B_im                 (N) complex
            c_t = Re(C x_t) + D * v_t,  C = C_re + i C_im"""

        def __init__(self):
            super().__init__()
            N, H = STATE_SIZE, HIDDEN_SIZE
            for name, shape in (("nu_log", (N,)), ("theta_log", (N,)), ("gamma_log", (N,)), ("B_re", (N, H)), ("B_im", (N, H)), ("C_re", (H, N)), ("C_im", (H, N)), ("D", (H,))):
                self.register_parameter(name, nn.Parameter(torch.zeros(shape)))

        def forward(self, v):  # v (T, B, H) -> c (T, B, H)
            r = torch.exp(-torch.exp(self.nu_log))  # |lambda| < 1: stable
            theta = torch.exp(self.theta_log)
            lam_re, lam_im = r * torch.cos(theta), r * torch.sin(theta)  # (N)
            gamma = torch.exp(self.gamma_log)
            b_re = gamma * (v @ self.B_re.T)  # (T, B, N)
            b_im = gamma * (v @ self.B_im.T)
            x_re = v.new_zeros(v.shape[1], STATE_SIZE)  # (B, N)
            x_im = v.new_zeros(v.shape[1], STATE_SIZE)
            c = []
            for t in range(v.shape[0]):
                if TRUNCATION is not None and t > 0 and t % TRUNCATION == 0:
                    x_re, x_im = x_re.detach(), x_im.detach()
                x_re, x_im = lam_re * x_re - lam_im * x_im + b_re[t], lam_re * x_im + lam_im * x_re + b_im[t]
                c.append(x_re @ self.C_re.T - x_im @ self.C_im.T + self.D * v[t])
            return torch.stack(c)
  `,
  mamba: String.raw`
    def softplus(z):
        """log(1 + e^z), written so that e^z never overflows."""
        return torch.clamp(z, min=0) + torch.log1p(torch.exp(-z.abs()))


    class Mixer(nn.Module):
        """Mamba's selective state space (S6, Gu & Dao 2023), the plain recurrence:
            Delta_t = softplus(dt_proj(v_t)) (H),  B_t = B_proj(v_t), C_t = C_proj(v_t) (N)
            x_t[h,n] = exp(Delta_t[h] A[h,n]) x_{t-1}[h,n] + Delta_t[h] B_t[n] v_t[h],  A = -exp(A_log)
            c_t[h] = sum_n C_t[n] x_t[h,n] + D[h] v_t[h]"""

        def __init__(self):
            super().__init__()
            H, N = HIDDEN_SIZE, STATE_SIZE
            self.A_log = nn.Parameter(torch.zeros(H, N))
            self.D = nn.Parameter(torch.zeros(H))
            self.dt_proj = nn.Linear(H, H)
            self.B_proj = nn.Linear(H, N, bias=False)
            self.C_proj = nn.Linear(H, N, bias=False)

        def forward(self, v):  # v (T, B, H) -> c (T, B, H)
            delta = softplus(self.dt_proj(v))  # (T, B, H) how much of step t to take in
            B_t, C_t = self.B_proj(v), self.C_proj(v)  # (T, B, N) what to write, what to read
            A = -torch.exp(self.A_log)  # (H, N) negative: every channel decays
            x = v.new_zeros(v.shape[1], HIDDEN_SIZE, STATE_SIZE)  # (B, H, N)
            c = []
            for t in range(v.shape[0]):
                if TRUNCATION is not None and t > 0 and t % TRUNCATION == 0:
                    x = x.detach()
                d = delta[t].unsqueeze(2)  # (B, H, 1)
                x = torch.exp(d * A) * x + d * B_t[t].unsqueeze(1) * v[t].unsqueeze(2)
                c.append((C_t[t].unsqueeze(1) * x).sum(2) + self.D * v[t])
            return torch.stack(c)
  `,
  rwkv: String.raw`
    class Mixer(nn.Module):
        """RWKV-4 time mixing without token shift (Peng et al. 2023):
            k, val, r = key(v_t), value(v_t), receptance(v_t)
            wkv_t = (a_{t-1} + e^{u+k_t} val_t) / (b_{t-1} + e^{u+k_t})
            a_t = e^{-w} a_{t-1} + e^{k_t} val_t,  b_t = e^{-w} b_{t-1} + e^{k_t},  w = exp(w_log)
            c_t = sigmoid(r_t) * wkv_t"""

        def __init__(self):
            super().__init__()
            H = HIDDEN_SIZE
            self.w_log = nn.Parameter(torch.zeros(H))
            self.u = nn.Parameter(torch.zeros(H))
            self.key = nn.Linear(H, H, bias=False)
            self.value = nn.Linear(H, H, bias=False)
            self.receptance = nn.Linear(H, H, bias=False)

        def forward(self, v):  # v (T, B, H) -> c (T, B, H)
            k, val, r = self.key(v), self.value(v), self.receptance(v)  # (T, B, H) each
            decay = torch.exp(-torch.exp(self.w_log))  # (H) e^{-w}
            a = v.new_zeros(v.shape[1], HIDDEN_SIZE)  # (B, H) numerator
            b = v.new_zeros(v.shape[1], HIDDEN_SIZE)  # (B, H) denominator
            c = []
            for t in range(v.shape[0]):
                if TRUNCATION is not None and t > 0 and t % TRUNCATION == 0:
                    a, b = a.detach(), b.detach()
                E = torch.exp(self.u + k[t])  # the current token's weight
                c.append(torch.sigmoid(r[t]) * (a + E * val[t]) / (b + E))
                e_k = torch.exp(k[t])
                a, b = decay * a + e_k * val[t], decay * b + e_k
            return torch.stack(c)
  `,
  mingru: String.raw`
    class Mixer(nn.Module):
        """minGRU (Feng et al. 2024): gate and candidate read only the input.
            z_t = sigmoid(z_proj(v_t)),  h_t = (1 - z_t) h_{t-1} + z_t h_proj(v_t),  c_t = h_t"""

        def __init__(self):
            super().__init__()
            self.z_proj = nn.Linear(HIDDEN_SIZE, HIDDEN_SIZE)
            self.h_proj = nn.Linear(HIDDEN_SIZE, HIDDEN_SIZE)

        def forward(self, v):  # v (T, B, H) -> c (T, B, H)
            z = torch.sigmoid(self.z_proj(v))  # (T, B, H) update gate
            h_tilde = self.h_proj(v)  # (T, B, H) candidate
            h = v.new_zeros(v.shape[1], HIDDEN_SIZE)
            c = []
            for t in range(v.shape[0]):
                if TRUNCATION is not None and t > 0 and t % TRUNCATION == 0:
                    h = h.detach()
                h = (1 - z[t]) * h + z[t] * h_tilde[t]
                c.append(h)
            return torch.stack(c)
  `,
  attention: String.raw`
    def position_code(T, H, like):
        """Sinusoidal positions PE(t)[2i] = sin(t / 10000^(2i/H)), PE(t)[2i+1] = cos(...), t from 0: (T, H)."""
        rows = [[(math.sin if j % 2 == 0 else math.cos)(t / math.pow(10000, (2 * (j // 2)) / H)) for j in range(H)] for t in range(T)]
        return torch.tensor(rows, dtype=like.dtype, device=like.device)


    class Mixer(nn.Module):
        """Causal multi-head softmax attention (Vaswani et al. 2017), no biases, sinusoidal positions:
            p_t = v_t + PE(t);  per head (d = H / heads) softmax_{tau <= t}(q_t . k_tau / sqrt(d)) over val_tau;
            heads concatenated; c_t = o_proj(.)"""

        def __init__(self):
            super().__init__()
            H = HIDDEN_SIZE
            self.q_proj = nn.Linear(H, H, bias=False)
            self.k_proj = nn.Linear(H, H, bias=False)
            self.v_proj = nn.Linear(H, H, bias=False)
            self.o_proj = nn.Linear(H, H, bias=False)

        def forward(self, v):  # v (T, B, H) -> c (T, B, H); no state, so truncation does not apply
            T, B, H = v.shape
            heads, d = NUM_HEADS, HIDDEN_SIZE // NUM_HEADS
            p = v + position_code(T, H, v).unsqueeze(1)
            q, k, val = (proj(p).view(T, B, heads, d).permute(1, 2, 0, 3) for proj in (self.q_proj, self.k_proj, self.v_proj))  # (B, heads, T, d)
            scores = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(d))  # (B, heads, T, T)
            future = torch.ones(T, T, dtype=torch.bool, device=v.device).triu(1)
            alpha = torch.softmax(scores.masked_fill(future, float("-inf")), dim=-1)
            y = (alpha @ val).permute(2, 0, 1, 3).reshape(T, B, H)  # heads side by side
            return self.o_proj(y)
  `,
};

const NAMES: Record<SuccessorKind, string> = { lru: 'LRU', mamba: 'Mamba (S6)', rwkv: 'RWKV-4', mingru: 'minGRU', attention: 'causal attention' };

export function successorSection(spec: SuccessorSpec, truncation: number | null): string {
  return [
    dedent(String.raw`
      # ---------------------------------------------------------------------------------------------
      # 3. The model: ${spec.numLayers} ${NAMES[spec.cell]} block${spec.numLayers === 1 ? '' : 's'}, then a linear readout
      #
      # Every block: v_t = in_proj(u_t); c_t = mixer(v_1 ... v_t); o_t = c_t * silu(gate_proj(u_t)),
      # u_t being x_t in the first block and the block below's o_t above it.
      # ---------------------------------------------------------------------------------------------
      INPUT_SIZE, HIDDEN_SIZE, OUTPUT_SIZE = ${spec.inputSize}, ${spec.hiddenSize}, ${spec.outputSize}
      NUM_LAYERS, STATE_SIZE, NUM_HEADS = ${spec.numLayers}, ${spec.stateSize}, ${spec.numHeads}
      TRUNCATION = ${truncation ?? 'None'}  # ${truncation === null ? 'full BPTT' : `truncated BPTT: the mixer's state is detached every ${truncation} steps`}
    `),
    dedent(MIXERS[spec.cell]),
    dedent(String.raw`
      class Block(nn.Module):
          def __init__(self, d_in):
              super().__init__()
              self.in_proj = nn.Linear(d_in, HIDDEN_SIZE)
              self.gate_proj = nn.Linear(d_in, HIDDEN_SIZE)
              self.mixer = Mixer()

          def forward(self, u):  # u (T, B, d_in) -> o (T, B, H)
              return self.mixer(self.in_proj(u)) * F.silu(self.gate_proj(u))


      class Model(nn.Module):
          def __init__(self):
              super().__init__()
              self.layers = nn.ModuleList([Block(INPUT_SIZE if l == 0 else HIDDEN_SIZE) for l in range(NUM_LAYERS)])
              self.readout = nn.Linear(HIDDEN_SIZE, OUTPUT_SIZE)

          def forward(self, x, carried=None):
              """x (T, B, D) -> the top block's outputs (T, B, H); every sequence starts from a zero state."""
              for block in self.layers:
                  x = block(x)
              return x, None
    `),
  ].join('\n\n\n');
}
