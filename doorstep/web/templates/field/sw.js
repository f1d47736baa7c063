/* Doorstep field app: service worker, version {{ version }}.
 *
 * Keeps the app working without a connection: the shell (/field/) and the day's route
 * (/api/v1/field/today/) are fetched from the network first and served from the cache when the
 * network fails; the app's own files are served from the cache (a new version of this worker
 * fetches them again). Everything else, including every write, goes straight to the network:
 * writes are queued by the app itself (IndexedDB outbox), never by this worker.
 */
"use strict";

const VERSION = "{{ version }}";
const CACHE = `doorstep-field-${VERSION}`;
const ASSETS = {{ assets_json }};
const SHELL = {{ shell_json }};
const TODAY = {{ today_json }};
// A phone with a weak signal may hang on a request for a long time; after this the cached copy is used.
const NETWORK_TIMEOUT_MS = 8000;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS);
    try {
      const shell = await fetch(SHELL, { credentials: "same-origin", cache: "no-store" });
      if (isShell(shell)) await cache.put(SHELL, shell);
    } catch (error) {
      // Offline while installing: the shell is cached on the next visit.
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("doorstep-field-") && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

function isShell(response) {
  // Only the app itself: not the log-in page a lapsed session redirects to, nor an error page.
  return response.ok && !response.redirected && new URL(response.url).pathname === SHELL;
}

function withTimeout(promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT_MS);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); });
  });
}

async function fromCache(key, savedHeader) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(key);
  if (!cached) return null;
  if (!savedHeader) return cached;
  // Tell the app this is the saved copy, not a fresh answer.
  const headers = new Headers(cached.headers);
  headers.set("X-Doorstep-Cache", "offline");
  return new Response(await cached.blob(), { status: cached.status, statusText: cached.statusText, headers });
}

async function networkFirst(request, key, accept, markCached) {
  try {
    const response = await withTimeout(fetch(request));
    if (accept(response)) {
      const cache = await caches.open(CACHE);
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await fromCache(key, markCached);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(networkFirst(request, SHELL, isShell, false));
  } else if (url.pathname === TODAY) {
    const key = url.pathname + url.search;
    event.respondWith(networkFirst(request, key, (response) => response.ok && !response.redirected, true));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
