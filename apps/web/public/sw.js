/*
 * Warrant's offline shell. The app (index.html and its content-hashed /assets/*) is kept so a
 * reload without a connection still opens; the API is never touched here: saving and offline
 * data are the app's business (IndexedDB), and a cached API answer would be a lie.
 * The shell is replaced only by the app's own index.html (a 200 HTML page that loads the app,
 * never an error or portal page), once every asset it names is stored; assets no stored shell
 * names any more are deleted then.
 * Bump CACHE_NAME when this file's caching changes; activate drops every other shell cache.
 */
/* global self, caches */
const CACHE_PREFIX = 'warrant-shell-';
const CACHE_NAME = `${CACHE_PREFIX}v2`;
const INDEX_URL = '/';

/** The /assets/* files an index.html refers to (script, modulepreload, stylesheet). */
function assetUrls(html) {
  const urls = new Set();
  for (const match of html.matchAll(/(?:src|href)\s*=\s*["'](\/assets\/[^"'?#]+)["']/g)) urls.add(match[1]);
  return [...urls];
}

function isHtml(response) {
  return (response.headers.get('content-type') || '').includes('text/html');
}

/**
 * The app's index.html, and not some other page served with 200 (a proxy's or a captive
 * portal's, a maintenance page): a same-origin 200 HTML answer with the app's root element that
 * loads the app's script from /assets/.
 */
function isAppShell(response, html) {
  if (response.status !== 200 || !isHtml(response)) return false;
  if (response.type !== 'basic' && response.type !== 'default') return false;
  return /<div\s+id=["']root["']/.test(html) && assetUrls(html).some((url) => url.endsWith('.js'));
}

/**
 * Stores `html` as the shell once every asset it names is stored (so a stored shell always
 * works offline), then deletes the assets it does not name. Otherwise the previous shell stays.
 */
async function storeShell(response, html) {
  if (!isAppShell(response, html)) return false;
  const cache = await caches.open(CACHE_NAME);
  const urls = assetUrls(html);
  const missing = [];
  for (const url of urls) if (!(await cache.match(url))) missing.push(url);
  try {
    await cache.addAll(missing);
  } catch {
    return false;
  }
  // With the server's headers (its Content-Security-Policy above all): the offline page is the same page.
  await cache.put(INDEX_URL, new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers }));
  const named = new Set(urls);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !named.has(path)) await cache.delete(request);
  }
  return true;
}

/** Fetches index.html and everything it names, and stores them together. */
async function precache() {
  const response = await fetch(INDEX_URL, { cache: 'no-cache', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`index.html answered ${response.status}`);
  const html = await response.text();
  if (!(await storeShell(response, html))) throw new Error('index.html is not the app');
  const cache = await caches.open(CACHE_NAME);
  await cache.add('/favicon.svg').catch(() => undefined);
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
  let response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const cached = await caches.match(INDEX_URL, { cacheName: CACHE_NAME });
    if (cached) return cached;
    throw error;
  }
  if (response.status === 200 && isHtml(response)) {
    // Every page of the app is this index.html: keep the newest (if it is the app), and the assets it names.
    const copy = response.clone();
    event.waitUntil(
      copy
        .text()
        .then((html) => storeShell(copy, html))
        .catch(() => undefined),
    );
    return response;
  }
  if (response.status >= 500) return (await caches.match(INDEX_URL, { cacheName: CACHE_NAME })) || response;
  return response;
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
