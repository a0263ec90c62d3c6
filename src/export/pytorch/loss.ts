/**
 * The loss's part of the script (src/engine/loss.ts): summed over the scored steps of each
 * sequence, averaged over the batch, L = (1/B) Σ_b Σ_t m_{t,b} ℓ_t; the readout at every step or
 * at the last one only.
 */
import type { LossKind, Readout } from '../../engine/batch';
import { dedent } from './python';

export function lossSection(loss: LossKind, readout: Readout, outputSize: number, inputSize: number): string {
  const every = readout === 'every_step';
  const mse = loss === 'mse';
  return dedent(String.raw`
    # ---------------------------------------------------------------------------------------------
    # 4. The loss: ${mse ? 'squared error, l_t = 1/2 sum_k (y_hat_k - y_k)^2' : 'cross-entropy, l_t = -log softmax(y_hat)[y]'}, read ${every ? 'at every step' : 'at the last step only'}
    #
    # L = (1/B) sum_b sum_t m_tb l_t: summed over each sequence's scored steps (m is the mask, 1 where a
    # step is scored), averaged over the batch -- the playground's convention, and what its charts show.
    # ---------------------------------------------------------------------------------------------
    def to_tensors(batch, dtype, device):
        """A Batch of flat lists as tensors: x (T, B, D), the target, the mask (or None)."""
        T, B = batch.T, batch.B
        x = torch.tensor(batch.x, dtype=dtype, device=device).view(T, B, ${inputSize})
        target = torch.tensor(batch.target, dtype=${mse ? 'dtype' : 'torch.long'}, device=device).view(${every ? 'T, B' : 'B'}${mse ? `, ${outputSize}` : ''})
        mask = None if batch.mask is None else torch.tensor(batch.mask, dtype=dtype, device=device).view(T, B)
        return x, target, mask


    def loss_of(model, x, target, mask, carried):
        """Forward, readout and loss; also the final state (a stream's next chunk starts from it)."""
        top, final = model(x, carried)  # (T, B, H * DIRECTIONS)
        y_hat = model.readout(${every ? 'top' : 'top[-1]'})  # ${every ? '(T, B, Y)' : '(B, Y): the last step only'}
        ${mse ? 'per_step = 0.5 * (y_hat - target).pow(2).sum(-1)' : `per_step = F.cross_entropy(y_hat.reshape(-1, ${outputSize}), target.reshape(-1), reduction="none").view(target.shape)`}
        if mask is not None:  # unscored steps count zero (where, not *, so an inf there cannot make a NaN)
            per_step = torch.where(mask != 0, per_step * mask, torch.zeros_like(per_step))
        return per_step.sum() / x.shape[1], final
  `);
}
