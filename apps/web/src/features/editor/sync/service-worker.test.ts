import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * public/sw.js run as a service worker would run it, against a fake network and a fake Cache
 * Storage (enough of both for what the file uses).
 */
const SOURCE = readFileSync(new URL('../../../../public/sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://warrant.test';

const shell = (script: string, css: string) =>
  `<!doctype html><html><head><script type="module" crossorigin src="/assets/${script}"></script><link rel="stylesheet" href="/assets/${css}"></head><body><div id="root"></div></body></html>`;

type Route = () => Response;

const html = (body: string, status = 200) => new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
const asset = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'text/javascript' } });

class FakeCache {
  readonly entries = new Map<string, Response>();
  constructor(private readonly network: (url: string) => Promise<Response>) {}

  static key(request: string | { url: string }): string {
    return new URL(typeof request === 'string' ? request : request.url, ORIGIN).href;
  }

  async match(request: string | { url: string }): Promise<Response | undefined> {
    return this.entries.get(FakeCache.key(request))?.clone();
  }

  async put(request: string | { url: string }, response: Response): Promise<void> {
    this.entries.set(FakeCache.key(request), response);
  }

  async add(url: string): Promise<void> {
    await this.addAll([url]);
  }

  async addAll(urls: string[]): Promise<void> {
    const responses = await Promise.all(urls.map((url) => this.network(url)));
    if (responses.some((response) => !response.ok)) throw new TypeError('addAll: a request failed');
    urls.forEach((url, index) => this.entries.set(FakeCache.key(url), responses[index]!));
  }

  async keys(): Promise<Array<{ url: string }>> {
    return [...this.entries.keys()].map((url) => ({ url }));
  }

  async delete(request: string | { url: string }): Promise<boolean> {
    return this.entries.delete(FakeCache.key(request));
  }

  /** Paths stored, sorted. */
  paths(): string[] {
    return [...this.entries.keys()].map((url) => new URL(url).pathname).sort();
  }

  async text(path: string): Promise<string | undefined> {
    return (await this.match(path))?.text();
  }
}

function serviceWorker() {
  const routes = new Map<string, Route>();
  let offline = false;
  const network = async (input: string | { url: string }): Promise<Response> => {
    if (offline) throw new TypeError('Failed to fetch');
    const path = new URL(typeof input === 'string' ? input : input.url, ORIGIN).pathname;
    const route = routes.get(path) ?? routes.get('*');
    return route ? route() : new Response('not found', { status: 404 });
  };
  const stores = new Map<string, FakeCache>();
  const caches = {
    open: async (name: string) => {
      let cache = stores.get(name);
      if (!cache) {
        cache = new FakeCache(network);
        stores.set(name, cache);
      }
      return cache;
    },
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
    match: async (request: string, options: { cacheName?: string } = {}) => {
      const names = options.cacheName ? [options.cacheName] : [...stores.keys()];
      for (const name of names) {
        const found = await stores.get(name)?.match(request);
        if (found) return found;
      }
      return undefined;
    },
  };
  const listeners = new Map<string, (event: unknown) => void>();
  const self = {
    location: { origin: ORIGIN },
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
    skipWaiting: async () => undefined,
    clients: { claim: async () => undefined },
  };
  runInNewContext(SOURCE, { self, caches, fetch: network, Response, URL, Headers, console });

  const lifecycle = async (type: 'install' | 'activate') => {
    const waits: Promise<unknown>[] = [];
    listeners.get(type)?.({ waitUntil: (promise: Promise<unknown>) => waits.push(promise) });
    await Promise.all(waits);
  };
  /** A navigation to `path`: the page the browser gets, once everything the worker started is done. */
  const navigate = async (path: string): Promise<Response> => {
    const waits: Promise<unknown>[] = [];
    let answer: Promise<Response> | undefined;
    listeners.get('fetch')?.({
      request: { url: `${ORIGIN}${path}`, method: 'GET', mode: 'navigate' },
      respondWith: (response: Promise<Response>) => (answer = response),
      waitUntil: (promise: Promise<unknown>) => waits.push(promise),
    });
    if (!answer) throw new Error('the worker did not answer the navigation');
    const response = await answer;
    await Promise.all(waits);
    return response;
  };
  /** The one shell cache the worker keeps. */
  const cache = () => {
    const [only, ...more] = [...stores.values()];
    if (!only || more.length > 0) throw new Error(`expected one cache, found ${stores.size}`);
    return only;
  };
  return { routes, lifecycle, navigate, cache, setOffline: (value: boolean) => (offline = value) };
}

describe('the offline shell (public/sw.js)', () => {
  let sw: ReturnType<typeof serviceWorker>;

  beforeEach(async () => {
    sw = serviceWorker();
    sw.routes.set('/', () => html(shell('index-old.js', 'index-old.css')));
    sw.routes.set('/favicon.svg', () => new Response('<svg/>', { headers: { 'content-type': 'image/svg+xml' } }));
    sw.routes.set('/assets/index-old.js', () => asset('old'));
    sw.routes.set('/assets/index-old.css', () => asset('old css'));
    await sw.lifecycle('install');
    await sw.lifecycle('activate');
    expect(sw.cache().paths()).toEqual(['/', '/assets/index-old.css', '/assets/index-old.js', '/favicon.svg']);
  });

  it('a navigation to a new release stores its index.html and assets, and deletes the assets it no longer names', async () => {
    const next = shell('index-new.js', 'index-old.css');
    sw.routes.set('/projects/p1', () => html(next));
    sw.routes.set('/assets/index-new.js', () => asset('new'));
    const page = await sw.navigate('/projects/p1');
    expect(await page.text()).toBe(next);
    expect(sw.cache().paths()).toEqual(['/', '/assets/index-new.js', '/assets/index-old.css', '/favicon.svg']);
    expect(await sw.cache().text('/')).toBe(next);
  });

  it('a 200 HTML page that is not the app (a portal, a proxy’s page) is shown but never replaces the stored shell', async () => {
    const portal = '<!doctype html><html><body><h1>Sign in to the hotel Wi-Fi</h1></body></html>';
    sw.routes.set('/projects/p1', () => html(portal));
    const page = await sw.navigate('/projects/p1');
    expect(await page.text()).toBe(portal);
    expect(await sw.cache().text('/')).toBe(shell('index-old.js', 'index-old.css'));
    expect(sw.cache().paths()).toEqual(['/', '/assets/index-old.css', '/assets/index-old.js', '/favicon.svg']);
  });

  it('an error page (404, 500) never replaces the shell; a 5xx is answered with the shell', async () => {
    sw.routes.set('/missing', () => html('<html><body><div id="root"></div><script src="/assets/x.js"></script>Not found</body></html>', 404));
    expect((await sw.navigate('/missing')).status).toBe(404);
    sw.routes.set('/broken', () => html('<html><body>Bad gateway</body></html>', 502));
    expect(await (await sw.navigate('/broken')).text()).toBe(shell('index-old.js', 'index-old.css'));
    expect(await sw.cache().text('/')).toBe(shell('index-old.js', 'index-old.css'));
  });

  it('a new index.html whose assets cannot be fetched is not stored: the previous shell stays, whole', async () => {
    sw.routes.set('/projects/p1', () => html(shell('index-new.js', 'index-new.css')));
    // /assets/index-new.* answer 404.
    await sw.navigate('/projects/p1');
    expect(await sw.cache().text('/')).toBe(shell('index-old.js', 'index-old.css'));
    expect(sw.cache().paths()).toEqual(['/', '/assets/index-old.css', '/assets/index-old.js', '/favicon.svg']);
  });

  it('offline, a navigation opens the stored shell', async () => {
    sw.setOffline(true);
    expect(await (await sw.navigate('/projects/p1/annotate/s1')).text()).toBe(shell('index-old.js', 'index-old.css'));
  });
});
