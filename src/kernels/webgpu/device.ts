/// <reference types="@webgpu/types" />
/**
 * The WebGPU device and what is cached on it: compute pipelines by a key (cell, nonlinearity,
 * kernel), each with an explicit bind group layout (the per-step uniform uses dynamic offsets,
 * which 'auto' layouts cannot have).
 */
import { WORKGROUP } from './wgsl/common';
import type { KernelSource } from './wgsl/recurrent';

export interface Gpu {
  device: GPUDevice;
  /** e.g. "WebGPU on SwiftShader (software)" */
  description: string;
  isSoftware: boolean;
  /** the pipeline for a key, compiled the first time it is asked for */
  pipeline(key: string, make: () => KernelSource): Kernel;
  /** the first uncaptured error since the last call, if any */
  takeError(): string | null;
}

export interface Kernel {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

/** Threads to workgroups, spread over y when x would pass the 65 535 limit. */
export function workgroupGrid(threads: number): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / WORKGROUP));
  if (groups <= 65535) return [groups, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y];
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
  const wanted = 8; // the most storage buffers one of our kernels binds
  if (adapter.limits.maxStorageBuffersPerShaderStage < wanted) throw new Error('the WebGPU adapter allows too few storage buffers');
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBuffersPerShaderStage: wanted,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const { description, isSoftware } = describeAdapter(adapter);
  let lastError: string | null = null;
  device.addEventListener('uncapturederror', (e) => {
    lastError ??= (e as GPUUncapturedErrorEvent).error.message;
  });
  const layouts = new Map<string, GPUBindGroupLayout>();
  const pipelines = new Map<string, Kernel>();
  const layoutFor = (bindings: string[]): GPUBindGroupLayout => {
    const key = bindings.join('');
    let layout = layouts.get(key);
    if (!layout) {
      layout = device.createBindGroupLayout({
        entries: bindings.map((kind, binding) => ({
          binding,
          visibility: GPUShaderStage.COMPUTE,
          buffer:
            kind === 'u'
              ? { type: 'uniform', hasDynamicOffset: true, minBindingSize: 64 }
              : kind === 'U'
                ? { type: 'uniform' }
                : { type: kind === 'r' ? 'read-only-storage' : 'storage' },
        })),
      });
      layouts.set(key, layout);
    }
    return layout;
  };
  return {
    device,
    description,
    isSoftware,
    pipeline(key, make) {
      let k = pipelines.get(key);
      if (!k) {
        const src = make();
        const layout = layoutFor(src.bindings);
        const module = device.createShaderModule({ code: src.code, label: key });
        const pipeline = device.createComputePipeline({
          label: key,
          layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
          compute: { module, entryPoint: 'main' },
        });
        k = { pipeline, layout };
        pipelines.set(key, k);
      }
      return k;
    },
    takeError() {
      const e = lastError;
      lastError = null;
      return e;
    },
  };
}
