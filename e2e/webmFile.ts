/**
 * A small reader of what a WebM file holds, written from the Matroska/EBML spec for the tests so
 * the recorded clip is checked by other code than the library that wrote it: the codec, the
 * frame size, and every frame's timestamp (cluster timecode + block offset, in seconds), key
 * flag and coded bytes (to hand to a decoder). Only the elements it needs are entered; everything else is skipped by its size.
 */

export interface WebmSummary {
  codec: string;
  width: number;
  height: number;
  /** seconds, from Info's Duration × TimecodeScale; NaN when the file has none */
  duration: number;
  /** each frame's time in seconds, whether it is a key frame, and its coded bytes (no lacing) */
  frames: { time: number; key: boolean; data: Uint8Array }[];
}

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const CODEC_ID = 0x86;
const VIDEO = 0xe0;
const PIXEL_WIDTH = 0xb0;
const PIXEL_HEIGHT = 0xba;
const CLUSTER = 0x1f43b675;
const CLUSTER_TIMECODE = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
const REFERENCE_BLOCK = 0xfb;
const MASTERS = new Set([SEGMENT, INFO, TRACKS, TRACK_ENTRY, VIDEO, CLUSTER, BLOCK_GROUP]);

/** A variable-length integer at `at`: its value (marker bit kept for IDs, dropped for sizes) and length. */
function vint(b: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } {
  const first = b[at];
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (length > 8) throw new Error(`bad EBML number at byte ${at}`);
  let value = keepMarker ? first : first & (0xff >> length);
  let ones = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i];
    ones &&= b[at + i] === 0xff;
  }
  return { value, length, unknown: !keepMarker && ones };
}

const uint = (b: Uint8Array, at: number, n: number) => b.subarray(at, at + n).reduce((v, x) => v * 256 + x, 0);

export function readWebm(bytes: Uint8Array): WebmSummary {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: WebmSummary = { codec: '', width: 0, height: 0, duration: NaN, frames: [] };
  let scale = 1_000_000; // ns per timecode tick, the Matroska default
  let rawDuration = NaN;
  let clusterTime = 0;
  const blocks: { tick: number; key: boolean; data: Uint8Array }[] = [];
  let referenced = false; // the BlockGroup being read names another frame its block depends on
  const walk = (from: number, to: number) => {
    let at = from;
    while (at < to) {
      const id = vint(bytes, at, true);
      const size = vint(bytes, at + id.length, false);
      const start = at + id.length + size.length;
      const end = size.unknown ? to : Math.min(to, start + size.value);
      if (id.value === BLOCK_GROUP) {
        const first = blocks.length;
        referenced = false;
        walk(start, end);
        if (referenced && blocks[first]) blocks[first].key = false;
      } else if (MASTERS.has(id.value)) walk(start, end);
      else if (id.value === REFERENCE_BLOCK) referenced = true;
      else if (id.value === TIMECODE_SCALE) scale = uint(bytes, start, size.value);
      else if (id.value === DURATION) rawDuration = size.value === 4 ? view.getFloat32(start) : view.getFloat64(start);
      else if (id.value === CODEC_ID) out.codec = new TextDecoder().decode(bytes.subarray(start, end));
      else if (id.value === PIXEL_WIDTH) out.width = uint(bytes, start, size.value);
      else if (id.value === PIXEL_HEIGHT) out.height = uint(bytes, start, size.value);
      else if (id.value === CLUSTER_TIMECODE) clusterTime = uint(bytes, start, size.value);
      else if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
        const track = vint(bytes, start, false);
        const offset = view.getInt16(start + track.length);
        const flags = bytes[start + track.length + 2];
        if (flags & 0x06) throw new Error('a laced block: one frame per block expected');
        // a SimpleBlock says "key" in its flags; a Block in a BlockGroup is key unless the group has a ReferenceBlock
        blocks.push({ tick: clusterTime + offset, key: id.value === SIMPLE_BLOCK ? (flags & 0x80) !== 0 : true, data: bytes.subarray(start + track.length + 3, end) });
      }
      at = end;
    }
  };
  if (vint(bytes, 0, true).value !== EBML) throw new Error('not an EBML file');
  walk(0, bytes.length);
  out.duration = (rawDuration * scale) / 1e9;
  out.frames = blocks.map((f) => ({ time: (f.tick * scale) / 1e9, key: f.key, data: f.data }));
  return out;
}
