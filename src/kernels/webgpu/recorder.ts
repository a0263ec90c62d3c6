/// <reference types="@webgpu/types" />
/**
 * Records the training path's calls in program order and plays them to the GPU at a flush.
 *
 * Order is the whole point: the path writes host data, zeroes and dispatches interleaved, and only
 * awaits at flush. So nothing reaches the queue before the flush: a dispatch, an upload (host data
 * staged in the flush's frame buffer, copied into the arena by the encoder) and an arena growth
 * (a new buffer and a copy) are all commands in one list, encoded in that order into one command
 * encoder. A queue.writeBuffer straight into the arena would land before the dispatches recorded
 * ahead of it.
 *
 * The frame (one buffer per flush, written once before the submit) holds every dispatch's Params
 * block at a 256-byte aligned dynamic offset, and the uploads.
 */
import { SLOTS, type Region } from '../../train/kernels';
import type { Gpu } from './device';
import { PARAMS_ALIGN, PARAMS_BYTES, type Program } from './program';

type Command =
  | { op: 'dispatch'; pipeline: GPUComputePipeline; params: number; groups: [number, number]; arena: GPUBuffer }
  /** frame bytes [from, from + size) → arena bytes [to, …) */
  | { op: 'upload'; from: number; to: number; size: number; arena: GPUBuffer }
  /** the old arena's bytes into the new, larger one */
  | { op: 'grow'; from: GPUBuffer; to: GPUBuffer; size: number };

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export class Recorder {
  private readonly device: GPUDevice;
  /** (floats) the arena: every buffer of the step */
  private arena: GPUBuffer;
  /** (SLOTS, padded to 8) the step's scalars */
  private readonly slots: GPUBuffer;
  private commands: Command[] = [];
  /** the frame on the host: Params blocks and uploads, in recording order */
  private frame = new ArrayBuffer(1 << 16);
  private frameTop = 0;
  /** the frame on the GPU, grown to the largest flush */
  private frameBuffer: GPUBuffer;
  /** one bind group per arena buffer, for the current frame buffer */
  private groups = new Map<GPUBuffer, GPUBindGroup>();
  /** arenas replaced while recording: destroyed once the flush that still reads them is done */
  private retired: GPUBuffer[] = [];
  private staging: GPUBuffer | null = null;

  constructor(private readonly gpu: Gpu) {
    this.device = gpu.device;
    this.arena = this.device.createBuffer({ size: 1 << 18, usage: STORAGE, label: 'arena' });
    this.slots = this.device.createBuffer({ size: 4 * 8, usage: STORAGE, label: 'slots' });
    this.frameBuffer = this.makeFrameBuffer(this.frame.byteLength);
  }

  private makeFrameBuffer(size: number): GPUBuffer {
    return this.device.createBuffer({ size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, label: 'frame' });
  }

  /** `bytes` of the host frame at an `align`ed offset, growing it when full. */
  private take(bytes: number, align: number): number {
    const at = Math.ceil(this.frameTop / align) * align;
    if (at + bytes > this.frame.byteLength) {
      const grown = new ArrayBuffer(Math.max(2 * this.frame.byteLength, at + bytes));
      new Uint8Array(grown).set(new Uint8Array(this.frame, 0, this.frameTop));
      this.frame = grown;
    }
    this.frameTop = at + bytes;
    return at;
  }

  /** Makes the arena at least `floats` long: a larger buffer and, in order, a copy of the old. */
  reserve(floats: number): void {
    const bytes = 4 * floats;
    if (bytes <= this.arena.size) return;
    const max = this.gpu.maxArenaBytes;
    if (bytes > max) {
      const mib = (n: number) => Math.ceil(n / 2 ** 20);
      throw new Error(`webgpu backend: this model and batch need ${mib(bytes)} MiB, more than this GPU binds in one buffer (${mib(max)} MiB)`);
    }
    const size = Math.min(max, Math.max(bytes, 2 * this.arena.size));
    const grown = this.device.createBuffer({ size: Math.ceil(size / 4) * 4, usage: STORAGE, label: 'arena' });
    this.commands.push({ op: 'grow', from: this.arena, to: grown, size: this.arena.size });
    this.retired.push(this.arena);
    this.arena = grown;
  }

  /** arena[dst …] ← src, in order with what was recorded before */
  write(dst: number, src: ArrayLike<number>): void {
    if (src.length === 0) return;
    const from = this.take(4 * src.length, 16);
    new Float32Array(this.frame, from, src.length).set(src);
    this.commands.push({ op: 'upload', from, to: 4 * dst, size: 4 * src.length, arena: this.arena });
  }

  /** One dispatch of `program` with its Params `values` (in field order) over `groups` workgroups. */
  dispatch(program: Program, values: readonly number[], groups: [number, number]): void {
    const params = this.take(PARAMS_BYTES, PARAMS_ALIGN);
    const u32 = new Uint32Array(this.frame, params, values.length);
    const f32 = new Float32Array(this.frame, params, values.length);
    program.fields.forEach(([, type], i) => {
      if (type === 'f32') f32[i] = values[i];
      else u32[i] = values[i] >>> 0;
    });
    this.commands.push({ op: 'dispatch', pipeline: this.gpu.pipeline(program), params, groups, arena: this.arena });
  }

  private groupFor(arena: GPUBuffer): GPUBindGroup {
    let g = this.groups.get(arena);
    if (!g) {
      g = this.device.createBindGroup({
        layout: this.gpu.layout,
        entries: [
          { binding: 0, resource: { buffer: arena } },
          { binding: 1, resource: { buffer: this.frameBuffer, size: PARAMS_BYTES } },
          { binding: 2, resource: { buffer: this.slots } },
        ],
      });
      this.groups.set(arena, g);
    }
    return g;
  }

  /** Every command since the last flush into one encoder; compute passes break only for copies. */
  private encode(): GPUCommandEncoder {
    if (this.frameTop > this.frameBuffer.size) {
      this.frameBuffer.destroy(); // the last flush finished with it
      this.frameBuffer = this.makeFrameBuffer(Math.ceil(this.frame.byteLength / 4) * 4);
      this.groups.clear();
    }
    const enc = this.device.createCommandEncoder();
    let pass: GPUComputePassEncoder | null = null;
    let pipeline: GPUComputePipeline | null = null;
    for (const c of this.commands) {
      if (c.op === 'dispatch') {
        if (!pass) {
          pass = enc.beginComputePass();
          pipeline = null;
        }
        if (pipeline !== c.pipeline) pass.setPipeline((pipeline = c.pipeline));
        pass.setBindGroup(0, this.groupFor(c.arena), [c.params]);
        pass.dispatchWorkgroups(c.groups[0], c.groups[1]);
        continue;
      }
      pass?.end();
      pass = null;
      if (c.op === 'upload') enc.copyBufferToBuffer(this.frameBuffer, c.from, c.arena, c.to, c.size);
      else enc.copyBufferToBuffer(c.from, 0, c.to, 0, c.size);
    }
    pass?.end();
    return enc;
  }

  /**
   * Submits what was recorded and reads back the slots and `reads` with one staging buffer and one
   * map: [slots (SLOTS), each region's floats].
   */
  async flush(reads: Region[]): Promise<{ slots: Float32Array; regions: Float32Array[] }> {
    const enc = this.encode();
    const floats = 8 + reads.reduce((n, r) => n + r.n, 0);
    if (!this.staging || this.staging.size < 4 * floats) {
      this.staging?.destroy();
      this.staging = this.device.createBuffer({ size: 4 * Math.max(floats, 1024), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: 'staging' });
    }
    const staging = this.staging;
    enc.copyBufferToBuffer(this.slots, 0, staging, 0, 4 * 8);
    let at = 8;
    for (const r of reads) {
      if (r.n > 0) enc.copyBufferToBuffer(this.arena, 4 * r.ptr, staging, 4 * at, 4 * r.n);
      at += r.n;
    }
    // The frame lands before the submit's commands run: queue order.
    if (this.frameTop > 0) this.device.queue.writeBuffer(this.frameBuffer, 0, this.frame, 0, Math.ceil(this.frameTop / 4) * 4);
    this.device.queue.submit([enc.finish()]);
    this.commands = [];
    this.frameTop = 0;
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, 4 * floats);
    } catch (e) {
      throw new Error(`WebGPU readback failed: ${this.gpu.takeError() ?? (e instanceof Error ? e.message : String(e))}`);
    } finally {
      for (const b of this.retired) {
        this.groups.delete(b);
        b.destroy();
      }
      this.retired = [];
    }
    const all = new Float32Array(staging.getMappedRange(0, 4 * floats).slice(0));
    staging.unmap();
    const error = this.gpu.takeError();
    if (error) throw new Error(`WebGPU error: ${error}`);
    const regions: Float32Array[] = [];
    at = 8;
    for (const r of reads) {
      regions.push(all.subarray(at, at + r.n));
      at += r.n;
    }
    return { slots: all.subarray(0, SLOTS), regions };
  }

  destroy(): void {
    for (const b of [this.arena, this.slots, this.frameBuffer, ...this.retired]) b.destroy();
    this.staging?.destroy();
  }
}
