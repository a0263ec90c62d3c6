import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION } from './scripts/isolation.ts';

// The benchmark page (bench.html → src/bench/main.ts + src/bench/worker.ts), built on its own by
// `npm run bench` (scripts/bench.ts) into dist-bench/page and served on port 4191 (not 4190: the
// Fetch standard blocks that port, so Chromium refuses to load from it). It is the only page that
// imports TF.js: the app's build (vite.config.ts) never sees it.
export default defineConfig({
  publicDir: false,
  worker: { format: 'es' },
  build: {
    outDir: 'dist-bench/page',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096, // TF.js is big; that is fine for a benchmark page
    // TF.js's threaded wasm backend starts its threads from the text of its own factory function
    // (Function.prototype.toString into a Blob); minified, that text names variables of the bundle
    // around it and every thread dies on a ReferenceError. Unminified, TF.js trains threaded.
    minify: false,
    rollupOptions: { input: { bench: resolve(import.meta.dirname, 'bench.html') } },
  },
  // Isolated like the app: our wasm backend and TF.js's both train on two threads when they can.
  server: { headers: CROSS_ORIGIN_ISOLATION },
  preview: { host: '127.0.0.1', port: 4191, strictPort: true, headers: CROSS_ORIGIN_ISOLATION },
});
