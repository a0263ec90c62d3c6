import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium.ts';

// Browser tests run against the production build, served by `vite preview` on 127.0.0.1
// (WebGPU needs a secure context, and localhost counts as one).
const PORT = 4173;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  workers: 1, // the machine has 2 cores; one browser at a time
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1280, height: 720 },
    // Every page load goes to the network, as the tests expect; e2e/offline.spec.ts allows them.
    serviceWorkers: 'block',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
