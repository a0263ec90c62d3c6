/**
 * The character model (src/engine/tasks/charLm.ts) in Python. The corpus travels inside the script
 * as its class ids (one byte each, two past 256 characters), zlib-compressed (the web's
 * CompressionStream, in browsers and Node alike), then base64; the vocabulary as a list of characters.
 */
import { base64, dedent, pyLongString, pyStr } from '../python';
import type { TaskWriter } from './types';

/** ids as little-endian bytes, one or two each. */
export function idBytes(ids: ArrayLike<number>, wide: boolean): Uint8Array {
  const out = new Uint8Array(ids.length * (wide ? 2 : 1));
  for (let i = 0; i < ids.length; i++) {
    if (wide) {
      out[2 * i] = ids[i] & 255;
      out[2 * i + 1] = ids[i] >> 8;
    } else out[i] = ids[i];
  }
  return out;
}

/** zlib's format (RFC 1950), as Python's zlib.decompress reads it. */
export async function zlibBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Whether the corpus ids need two bytes each. */
export const wideIds = (vocabSize: number): boolean => vocabSize > 256;

export const charLmTask: TaskWriter = ({ info, corpus }) => {
  if (!corpus) throw new Error('char_lm: the export needs the corpus');
  const vocab = info.vocab ?? [];
  return dedent(String.raw`
    VOCAB = [${vocab.map(pyStr).join(', ')}]  # class id -> character
    CORPUS_IDS = ${wideIds(vocab.length) ? "array.array('H'" : "array.array('B'"}, zlib.decompress(base64.b64decode(CORPUS_B64)))  # the text as class ids
    if sys.byteorder == "big" and CORPUS_IDS.itemsize > 1:
        CORPUS_IDS.byteswap()


    def make_batch(rng, B):
        """Character model: each sequence is a random window of T characters of the text; the target
        at every step is the next character."""
        T, V, N = ${info.T}, ${vocab.length}, len(CORPUS_IDS)
        x = [0.0] * (T * B * V)  # (T, B, V)
        target = [0] * (T * B)  # (T, B) class ids
        for b in range(B):
            s = rng.int(N - T)  # the window c_s .. c_{s+T} fits
            for t in range(T):
                x[(t * B + b) * V + CORPUS_IDS[s + t]] = 1.0
                target[t * B + b] = CORPUS_IDS[s + t + 1]
        return Batch(T, B, x, target, None)
  `).replace('CORPUS_IDS = ', `CORPUS_B64 = ${pyLongString(base64(corpus), 120)}  # zlib, then base64\nCORPUS_IDS = `);
};
