/**
 * gpu.js on WebGL2, loaded lazily (~650 kB) and drawing on our own OffscreenCanvas (in a
 * dedicated worker), so that we can read the renderer string and hear `webglcontextlost`.
 * Kernels are compiled from source strings (a minifier would rename a function kernel's
 * parameters) and cached by source and output size; every kernel is pipelined and immutable, so
 * its results stay on the GPU as textures that later kernels read, until we delete them.
 */

/** The slice of gpu.js we use. */
export interface GjTexture {
  toArray(): Float32Array | Float32Array[];
  delete(): void;
}
export type GjKernel = ((...args: unknown[]) => GjTexture) & { kernel?: unknown };
interface GjGpu {
  createKernel(source: string, settings: Record<string, unknown>): GjKernel;
  destroy(): unknown;
}
interface GjModule {
  GPU: new (settings: Record<string, unknown>) => GjGpu;
  WebGL2Kernel: new (...args: never[]) => unknown;
  input(value: Float32Array, size: number[]): unknown;
}

export interface GjContext {
  /**
   * A kernel for this source and output size, compiled on first use. `args` names the kinds of
   * its arguments (gpu.js compiles a kernel for the argument types of its first call: an array
   * input and a texture need two kernels even where the source is the same).
   */
  kernel(source: string, output: number[], args?: string): GjKernel;
  /** wraps a flat array as a gpu.js input of [width, height] */
  input(value: Float32Array, size: number[]): unknown;
  /** e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)" */
  renderer: string;
  isSoftware: boolean;
  /** the class of the kernel that really ran, once one has run */
  kernelClass(): string | null;
  onLost(cb: (reason: string) => void): void;
  lostReason(): string | null;
  /** tests: loses the context on purpose (WEBGL_lose_context), where the browser allows it */
  loseContext?(): void;
  destroy(): void;
}

async function loadGpuJs(): Promise<GjModule> {
  const mod = (await import('gpu.js')) as unknown as Partial<GjModule> & { default?: Partial<GjModule> };
  const m = mod.GPU ? mod : mod.default;
  if (!m?.GPU || !m.WebGL2Kernel || !m.input) throw new Error('gpu.js did not load');
  return m as GjModule;
}

export async function openGpuJs(): Promise<GjContext> {
  if (typeof OffscreenCanvas === 'undefined') throw new Error('WebGL2 unavailable: no OffscreenCanvas here');
  const canvas = new OffscreenCanvas(1, 1);
  const gl = canvas.getContext('webgl2', { antialias: false, depth: false, premultipliedAlpha: false, preserveDrawingBuffer: false });
  if (!gl) throw new Error('WebGL2 unavailable');
  if (!gl.getExtension('EXT_color_buffer_float')) throw new Error('WebGL2 unavailable: no float render targets');
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'WebGL2');
  const m = await loadGpuJs();
  const gpu = new m.GPU({ mode: 'webgl2', canvas, context: gl });
  const kernels = new Map<string, GjKernel>();
  let seenClass: string | null = null;
  let lost: string | null = null;
  const lostCallbacks: ((reason: string) => void)[] = [];
  canvas.addEventListener('webglcontextlost', (e) => {
    e.preventDefault();
    lost = 'the WebGL2 context was lost';
    for (const cb of lostCallbacks) cb(lost);
  });
  return {
    renderer,
    isSoftware: /swiftshader/i.test(renderer),
    kernel(source, output, args = '') {
      const key = `${output.join('x')}|${args}|${source}`;
      let k = kernels.get(key);
      if (!k) {
        k = gpu.createKernel(source, { output, pipeline: true, immutable: true, precision: 'single', tactic: 'precision' });
        const compiled = k;
        // After the first call, make sure WebGL2 is what ran (gpu.js may fall back silently).
        const checked = ((...args: unknown[]) => {
          const result = compiled(...args);
          if (seenClass === null) {
            if (!(compiled.kernel instanceof m.WebGL2Kernel)) throw new Error('WebGL2 unavailable');
            seenClass = 'WebGL2Kernel';
          }
          return result;
        }) as GjKernel;
        k = seenClass ? compiled : checked;
        kernels.set(key, k);
      }
      return k;
    },
    input: (value, size) => m.input(value, size),
    kernelClass: () => seenClass,
    onLost(cb) {
      lostCallbacks.push(cb);
      if (lost) cb(lost);
    },
    lostReason: () => lost,
    loseContext: () => gl.getExtension('WEBGL_lose_context')?.loseContext(),
    destroy() {
      kernels.clear();
      void gpu.destroy();
    },
  };
}
