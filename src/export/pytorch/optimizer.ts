/**
 * The update's part of the script (src/engine/optim.ts, plan.ts, clip.ts): torch.optim's SGD,
 * Adam and RMSprop are the playground's formulas with the same defaults, so the script uses them;
 * clipping is torch.nn.utils' (clip_grad_norm_ with its 1e-6, clip_grad_value_).
 */
import type { ClipSpec } from '../../engine/clip';
import type { OptimizerSpec } from '../../engine/optim';
import { dedent, pyNum } from './python';

function optimizerLine(o: OptimizerSpec): string {
  if (o.name === 'sgd') return `torch.optim.SGD(params, lr=${pyNum(o.lr)}, momentum=${pyNum(o.momentum ?? 0)})  # v <- mu v + g (v_1 = g); p <- p - lr v`;
  if (o.name === 'adam') return `torch.optim.Adam(params, lr=${pyNum(o.lr)}, betas=(0.9, 0.999), eps=1e-8)  # PyTorch's defaults, the playground's too`;
  return `torch.optim.RMSprop(params, lr=${pyNum(o.lr)}, alpha=0.99, eps=1e-8)  # v <- a v + (1-a) g^2; p <- p - lr g / (sqrt(v) + eps)`;
}

function clipLines(c: ClipSpec): string {
  if (c === null) return 'pass  # no clipping in this run';
  if (c.kind === 'norm') return `torch.nn.utils.clip_grad_norm_(params, ${pyNum(c.max)})  # g <- g * max / (||g|| + 1e-6) when that is below 1`;
  return `torch.nn.utils.clip_grad_value_(params, ${pyNum(c.max)})  # every entry clamped to [-${pyNum(c.max)}, ${pyNum(c.max)}]`;
}

export function optimizerSection(opt: OptimizerSpec, clip: ClipSpec): string {
  return dedent(String.raw`
    # ---------------------------------------------------------------------------------------------
    # 5. The update: clipping, then the optimizer (torch.optim computes the playground's formulas)
    # ---------------------------------------------------------------------------------------------
    def make_optimizer(params):
        return ${optimizerLine(opt)}


    def clip_gradients(params):
        ${clipLines(clip)}
  `);
}
