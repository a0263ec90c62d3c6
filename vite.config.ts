import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Two pages: the playground, and a bare harness that the browser tests use to run the training
// backends (WebGPU, WebGL2, WASM) in a real worker against the reference cases.
// Vitest reads its settings from here too: unit tests run in Node, browser tests live in e2e/.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1' },
  worker: { format: 'es' },
  build: {
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        harness: resolve(import.meta.dirname, 'harness.html'),
      },
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
