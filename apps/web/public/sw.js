/*
 * Warrant's offline shell. The app (index.html and its content-hashed /assets/*) is kept so a
 * reload without a connection still opens; the API is never touched here: saving and offline
 * data are the app's business (IndexedDB), and a cached API answer would be a lie.
 * Bump CACHE_NAME when this file's caching changes; activate drops every other shell cache.
 */
/* global self, caches */
const CACHE_PREFIX = 'warrant-shell-';
const CACHE_NAME = `${CACHE_PREFIX}v1`;
const INDEX_URL = '/';

/** The /assets/* files an index.html refers to (script, modulepreload, stylesheet). */
function assetUrls(html) {
  const urls = new Set();
  for (const match of html.matchAll(/(?:src|href)\s*=\s*["'](\/assets\/[^"'?#]+)["']/g)) urls.add(match[1]);
  return [...urls];
}

/** Fetches index.html and everything it names, and stores them together. */
async function precache() {
  const response = await fetch(INDEX_URL, { cache: 'no-cache', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`index.html answered ${response.status}`);
  const html = await response.clone().text();
  const cache = await caches.open(CACHE_NAME);
  await cache.addAll(['/favicon.svg', ...assetUrls(html)]);
  await cache.put(INDEX_URL, response);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

/** Network first, so a new release shows at once; the stored index.html when the server cannot answer. */
async function navigate(event) {
  try {
    const response = await fetch(event.request);
    const html = response.ok && (response.headers.get('content-type') || '').includes('text/html');
    if (html) {
      // Every page of the app is this index.html: keep the newest, and the assets it names.
      const copy = response.clone();
      event.waitUntil(
        (async () => {
          const cache = await caches.open(CACHE_NAME);
          const text = await copy.clone().text();
          await cache.put(INDEX_URL, copy);
          const known = await Promise.all(assetUrls(text).map(async (url) => ((await cache.match(url)) ? null : url)));
          await cache.addAll(known.filter(Boolean)).catch(() => undefined);
        })(),
      );
      return response;
    }
    if (response.status >= 500) return (await caches.match(INDEX_URL, { cacheName: CACHE_NAME })) || response;
    return response;
  } catch (error) {
    const cached = await caches.match(INDEX_URL, { cacheName: CACHE_NAME });
    if (cached) return cached;
    throw error;
  }
}

/** Content-hashed, so a stored copy is always right. */
async function asset(request) {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // The server answers an unknown path with index.html (for client routes): never keep that as an asset.
  const isPage = (response.headers.get('content-type') || '').includes('text/html');
  if (response.ok && !isPage) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigate(event));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(asset(request));
    return;
  }
  if (url.pathname === '/favicon.svg') {
    event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
  }
});
