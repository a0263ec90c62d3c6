/**
 * Build step for the offline service worker (src/offline/sw.ts): once the build is written, list
 * every file the app needs into `precache.json` beside sw.js, so the worker caches exactly this
 * build. The test harness page and its own chunk are left out (no user opens them); so are source
 * maps and the worker itself.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

export const PRECACHE_FILE = 'precache.json';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The paths to cache, relative to the base path, sorted (one build always lists the same). */
export function precacheList(outDir: string): string[] {
  const skip = (p: string) => p === 'sw.js' || p === PRECACHE_FILE || p === 'harness.html' || p.startsWith('assets/harness-') || p.endsWith('.map');
  return filesUnder(outDir)
    .map((f) => relative(outDir, f).split(sep).join('/'))
    .filter((p) => !skip(p))
    .sort();
}

export function offlinePrecache(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'rnn-playground:offline-precache',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    closeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      writeFileSync(join(outDir, PRECACHE_FILE), `${JSON.stringify(precacheList(outDir), null, 1)}\n`);
    },
  };
}
