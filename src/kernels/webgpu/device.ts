/// <reference types="@webgpu/types" />
/**
 * The WebGPU device and what is cached on it: one bind group layout that every kernel shares
 * (arena, parameters at a dynamic offset, scalar slots; see ./program.ts) and the compute
 * pipelines, compiled the first time a kernel is recorded.
 */
import { PARAMS_BYTES, sourceOf, type Program } from './program';

export interface Gpu {
  device: GPUDevice;
  /** e.g. "WebGPU on SwiftShader (software)" */
  description: string;
  isSoftware: boolean;
  /** the bind group layout of every kernel */
  layout: GPUBindGroupLayout;
  /** the largest arena, in bytes: one storage binding of one buffer */
  maxArenaBytes: number;
  /** the program's pipeline, compiled the first time it is asked for */
  pipeline(p: Program): GPUComputePipeline;
  /** the first uncaptured error since the last call, if any */
  takeError(): string | null;
}

function describeAdapter(adapter: GPUAdapter): { description: string; isSoftware: boolean } {
  const info = adapter.info;
  const words = [info?.vendor, info?.architecture, info?.device, info?.description].filter((w): w is string => !!w);
  const text = words.join(' ');
  const swiftshader = /swiftshader/i.test(text);
  const isSoftware = !!info?.isFallbackAdapter || swiftshader;
  const name = swiftshader ? 'SwiftShader' : info?.description || [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'an unnamed adapter';
  return { description: `WebGPU on ${name}${isSoftware ? ' (software)' : ''}`, isSoftware };
}

export async function openGpu(): Promise<Gpu> {
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  if (!nav?.gpu) throw new Error('WebGPU is not available in this browser');
  const adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter');
  // The arena is one buffer bound whole: ask for the adapter's largest, not the default 128 MiB.
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const { description, isSoftware } = describeAdapter(adapter);
  let lastError: string | null = null;
  device.addEventListener('uncapturederror', (e) => {
    lastError ??= (e as GPUUncapturedErrorEvent).error.message;
  });
  const layout = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: PARAMS_BYTES } },
      { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
    ],
  });
  const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
  const pipelines = new Map<string, GPUComputePipeline>();
  return {
    device,
    description,
    isSoftware,
    layout,
    maxArenaBytes: Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize),
    pipeline(p) {
      let pipeline = pipelines.get(p.name);
      if (!pipeline) {
        const module = device.createShaderModule({ code: sourceOf(p), label: p.name });
        pipeline = device.createComputePipeline({ label: p.name, layout: pipelineLayout, compute: { module, entryPoint: 'main' } });
        pipelines.set(p.name, pipeline);
      }
      return pipeline;
    },
    takeError() {
      const e = lastError;
      lastError = null;
      return e;
    },
  };
}
