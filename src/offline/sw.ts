/**
 * The service worker that keeps the playground working with no network (a lecture hall with bad
 * Wi-Fi): on install it caches the whole build (the list `precache.json` that the build writes:
 * the pages, scripts, styles, the wasm kernels and the text corpus), then answers every request
 * for them from that cache. A page is answered from the cache too, whatever its query (a lesson
 * link, a classroom link), so it opens at once and the same offline as online.
 *
 * One cache per build: the page registers `sw.js?build=ID` with its own script's name as ID, so a
 * new deployment installs a new worker, which caches the new build whole before it takes over and
 * then deletes the old cache. Requests for anything else (other origins, other methods) are left
 * to the network.
 *
 * Built as its own entry (vite.config.ts) into sw.js at the root of the base path, with no imports:
 * it runs as a classic worker script.
 */

// The worker's own globals, declared here: this file is compiled with the page's DOM types.
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(r: Promise<Response>): void;
}
interface WorkerScope {
  readonly location: Location;
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEvent) => void): void;
}
const sw = self as unknown as WorkerScope;

const PREFIX = 'rnn-playground-';
const CACHE = `${PREFIX}${new URL(sw.location.href).searchParams.get('build') ?? 'dev'}`;
/** Where the build lives: the worker's scope is the app's base path. */
const scope = (): string => sw.registration.scope;
const indexUrl = (): string => new URL('index.html', scope()).href;

/** The build's files, relative to the base path (written by the build beside sw.js). */
async function precacheList(): Promise<string[]> {
  const res = await fetch(new URL('precache.json', scope()).href, { cache: 'no-store' });
  if (!res.ok) throw new Error(`precache.json: HTTP ${res.status}`);
  const list = (await res.json()) as unknown;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) throw new Error('precache.json is not a list of paths');
  return list as string[];
}

sw.addEventListener('install', (e) => {
  // All or nothing: a build cached in part would open and then fail at its first missing chunk.
  e.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll((await precacheList()).map((p) => new Request(new URL(p, scope()).href, { cache: 'reload' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || !req.url.startsWith(scope())) return;
  e.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // The app's page: the cached index.html whatever the query (it reads its settings from the
      // link). Other pages (the test harness) are not cached.
      if (req.mode === 'navigate') {
        const path = new URL(req.url).pathname;
        const isApp = path === new URL(scope()).pathname || path === new URL(indexUrl()).pathname;
        return (isApp ? await cache.match(indexUrl(), { ignoreVary: true }) : undefined) ?? fetch(req);
      }
      // ignoreVary: a module script asks with an Origin header, which the cached copy was not fetched with.
      return (await cache.match(req, { ignoreSearch: true, ignoreVary: true })) ?? fetch(req);
    })(),
  );
});
