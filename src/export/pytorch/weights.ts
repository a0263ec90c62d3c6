/**
 * The initial weights, embedded: the playground's initializers run at export time (or the
 * page's current weights are taken), and every tensor travels as float64 little-endian bytes in
 * base64, in state_dict order, decoded with the standard library.
 */
import type { Params } from '../../engine/model';
import { base64, dedent, float64Bytes, pyLongString, pyStr } from './python';

export function weightsSection(params: Params, what: string): string {
  const entries = Object.entries(params);
  const all = new Float64Array(entries.reduce((n, [, t]) => n + t.data.length, 0));
  let at = 0;
  for (const [, t] of entries) {
    all.set(t.data, at);
    at += t.data.length;
  }
  const shapes = entries.map(([name, t]) => `    (${pyStr(name)}, (${t.shape.join(', ')}${t.shape.length === 1 ? ',' : ''})),`).join('\n');
  return `${dedent(String.raw`
    # ---------------------------------------------------------------------------------------------
    # 7. The initial weights: ${what}
    # float64, little-endian, state_dict order, base64.
    # ---------------------------------------------------------------------------------------------
  `)}
SHAPES = [
${shapes}
]
WEIGHTS_B64 = ${pyLongString(base64(float64Bytes(all)), 120)}


${dedent(String.raw`
    def initial_state_dict(dtype, device):
        values = array.array("d", base64.b64decode(WEIGHTS_B64))
        if sys.byteorder == "big":
            values.byteswap()
        state, at = collections.OrderedDict(), 0
        for name, shape in SHAPES:
            n = math.prod(shape)
            state[name] = torch.tensor(list(values[at:at + n]), dtype=torch.float64).view(shape).to(dtype=dtype, device=device)
            at += n
        return state
  `)}`;
}
