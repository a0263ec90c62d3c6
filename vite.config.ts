import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { CROSS_ORIGIN_ISOLATION } from './scripts/isolation.ts';
import { offlinePrecache } from './scripts/offline-plugin.ts';

// Two pages: the playground, and a bare harness that the browser tests use to run the training
// backends (WebGPU, WebGL2, WASM) in a real worker against the reference cases.
// The offline service worker is a third entry, written to sw.js at the root of the base path (a
// worker's scope is where it lives), with the list of files it caches beside it.
// Vitest reads its settings from here too: unit tests run in Node, browser tests live in e2e/.
// The base path: `npm run build -- --base /path/` (see the README's static hosting section).
export default defineConfig({
  plugins: [react(), offlinePrecache()],
  // Cross-origin isolated, so that the wasm backend may train on two threads (scripts/isolation.ts).
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
  preview: { headers: CROSS_ORIGIN_ISOLATION },
  worker: { format: 'es' },
  build: {
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        harness: resolve(import.meta.dirname, 'harness.html'),
        sw: resolve(import.meta.dirname, 'src/offline/sw.ts'),
      },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
