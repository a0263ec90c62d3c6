/// <reference types="@webgpu/types" />
/**
 * The WebGPU backend: the one training path (src/train) on WGSL kernels in float32 (./kernels.ts),
 * every buffer in one storage buffer on the GPU; a step is one command encoder and one readback.
 * Besides the path's semantics it reports a lost device (onDeviceLost) and refuses work after it.
 */
import { pathBackend } from '../../train/backend';
import type { TrainingBackend } from '../types';
import { openGpu } from './device';
import { webgpuKernels } from './kernels';

export async function createWebGpuBackend(): Promise<TrainingBackend> {
  const gpu = await openGpu();
  const { device } = gpu;
  let lost: string | null = null;
  let disposed = false;
  let simulated = false; // a test destroys the device on purpose: treat that as a loss
  const lostCallbacks: ((reason: string) => void)[] = [];
  void device.lost.then((info) => {
    if (disposed || (info.reason === 'destroyed' && !simulated)) return;
    lost = simulated ? 'device lost (simulated)' : info.message || 'the WebGPU device was lost';
    for (const cb of lostCallbacks) cb(lost);
  });
  const alive = (): void => {
    if (lost) throw new Error(`WebGPU device lost: ${lost}`);
  };
  const kernels = webgpuKernels(gpu, alive);
  const backend = pathBackend(kernels, { name: 'webgpu', description: gpu.description, isSoftware: gpu.isSoftware }, () => {
    disposed = true;
    kernels.destroy();
    device.destroy();
  });
  // Once lost, every call says so first (setModel only records, and would not notice until a flush).
  const guarded: TrainingBackend = {
    ...backend,
    async setModel(model) {
      alive();
      return backend.setModel(model);
    },
    async readParams() {
      alive();
      return backend.readParams();
    },
    async forwardBackward(batch, opts) {
      alive();
      return backend.forwardBackward(batch, opts);
    },
    async trainStep(batch, opts) {
      alive();
      return backend.trainStep(batch, opts);
    },
    simulateDeviceLoss() {
      simulated = true;
      device.destroy();
    },
    onDeviceLost(callback: (reason: string) => void) {
      lostCallbacks.push(callback);
      if (lost) callback(lost);
    },
  };
  return guarded;
}
