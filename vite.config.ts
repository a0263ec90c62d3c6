import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Vitest reads its settings from here too: unit tests run in Node, browser tests live in e2e/.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1' },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
