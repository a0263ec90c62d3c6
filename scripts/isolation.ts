/**
 * The response headers that make a page cross-origin isolated: only then does a browser give it
 * SharedArrayBuffer, which the wasm backend's second thread needs (src/kernels/wasm/threaded.ts).
 * The dev server, `vite preview` and the bench page send them; a static host should too (the
 * README's static hosting section). The app loads nothing from other origins, so require-corp
 * blocks nothing it uses; without the headers it trains on one thread.
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;
