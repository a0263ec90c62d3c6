/**
 * Registers the offline service worker (src/offline/sw.ts) in a production build. Its URL names
 * this build (the main script's own file name, which changes whenever anything the page loads
 * changes), so a new deployment is a new worker that caches the new build whole.
 *
 * Best effort: without service workers (an insecure origin, a private window) the page works as
 * before, online only.
 */
export function registerOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const build = new URL(import.meta.url).pathname.split('/').pop() ?? 'unknown';
  const base = import.meta.env.BASE_URL;
  navigator.serviceWorker.register(`${base}sw.js?build=${encodeURIComponent(build)}`, { scope: base }).catch(() => {
    // Offline use is a bonus: a refused registration changes nothing online.
  });
}
