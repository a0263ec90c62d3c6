import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/**
 * How we launch Chromium. Playwright's own browser download does not work on our machines, so we
 * drive Debian's /usr/bin/chromium; CHROMIUM_PATH overrides it, and on a machine with neither we
 * let Playwright use its bundled browser (after `npx playwright install chromium`).
 * The flags make WebGL2 (SwiftShader) and WebGPU available headless; see ../shared/BROWSER.md.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-webgpu',
];

export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = chromiumExecutable();
  return { args: CHROMIUM_ARGS, ...(executablePath ? { executablePath } : {}) };
}
