import { CSRF_HEADER } from '@warrant/contracts';
import { z } from 'zod';
import { ApiError, apiErrorFromResponse } from './api-error.ts';
import { parseBody } from './parse-body.ts';
import { readUploadResponse, sendWithProgress, type UploadProgress, type XhrFactory } from './upload.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const STATE_CHANGING: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a 204 answer parses to. */
export const noContent = z.undefined();

export interface ApiClientOptions {
  /** The session's CSRF token, sent on every state-changing request. */
  getCsrfToken: () => string | undefined;
  /** Called when the server says the session is gone (401 other than a wrong password). */
  onUnauthenticated: (error: ApiError) => void;
  fetch: typeof fetch;
  createXhr: XhrFactory;
}

export interface RequestOptions {
  method?: Method;
  /** Sent as JSON. */
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
  /** A 401 is an answer here, not a lost session (the session probe): do not call onUnauthenticated. */
  allowUnauthenticated?: boolean;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * The one way the app talks to the API: same-origin credentials, JSON, the CSRF header on writes,
 * every answer parsed with its contract, every failure a typed ApiError.
 */
export class ApiClient {
  private options: ApiClientOptions;

  constructor(options: Partial<ApiClientOptions> = {}) {
    this.options = {
      getCsrfToken: () => undefined,
      onUnauthenticated: () => {},
      fetch: (...args) => globalThis.fetch(...args),
      createXhr: () => new XMLHttpRequest(),
      ...options,
    };
  }

  configure(options: Partial<ApiClientOptions>): void {
    this.options = { ...this.options, ...options };
  }

  async request<S extends z.ZodType>(path: string, schema: S, options: RequestOptions = {}): Promise<z.output<S>> {
    const { status, text } = await this.send(path, 'application/json', options);
    return parseBody(schema, status, text);
  }

  /** A GET whose answer is text, not JSON (a release's README.md); failures are ApiErrors as usual. */
  async getText(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<string> {
    return (await this.send(path, 'text/plain, text/markdown, */*', { ...options, method: 'GET' })).text;
  }

  private async send(path: string, accept: string, options: RequestOptions): Promise<{ status: number; text: string }> {
    const method = options.method ?? 'GET';
    const headers: Record<string, string> = { accept };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    this.addCsrf(method, headers);

    let response: Response;
    try {
      response = await this.options.fetch(withQuery(path, options.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK_ERROR', 'the server could not be reached');
    }

    const text = await response.text();
    if (!response.ok) {
      throw this.failed(apiErrorFromResponse(response.status, text, response.headers.get('retry-after')), options);
    }
    return { status: response.status, text };
  }

  get<S extends z.ZodType>(path: string, schema: S, options: Omit<RequestOptions, 'method' | 'body'> = {}) {
    return this.request(path, schema, { ...options, method: 'GET' });
  }

  post<S extends z.ZodType>(path: string, schema: S, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) {
    return this.request(path, schema, { ...options, method: 'POST', body });
  }

  put<S extends z.ZodType>(path: string, schema: S, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) {
    return this.request(path, schema, { ...options, method: 'PUT', body });
  }

  patch<S extends z.ZodType>(path: string, schema: S, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) {
    return this.request(path, schema, { ...options, method: 'PATCH', body });
  }

  delete<S extends z.ZodType>(path: string, schema: S, options: Omit<RequestOptions, 'method' | 'body'> = {}) {
    return this.request(path, schema, { ...options, method: 'DELETE' });
  }

  /** A multipart POST over XMLHttpRequest, which (unlike fetch) reports upload progress. */
  async upload<S extends z.ZodType>(path: string, schema: S, form: FormData, options: UploadOptions = {}): Promise<z.output<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    this.addCsrf('POST', headers);
    const answer = await sendWithProgress(this.options.createXhr, {
      url: path,
      body: form,
      headers,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    try {
      return readUploadResponse(schema, answer);
    } catch (error) {
      throw error instanceof ApiError ? this.failed(error, {}) : error;
    }
  }

  private addCsrf(method: Method, headers: Record<string, string>): void {
    if (!STATE_CHANGING.has(method)) return;
    const token = this.options.getCsrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }

  private failed(error: ApiError, options: Pick<RequestOptions, 'allowUnauthenticated'>): ApiError {
    if (error.status === 401 && error.code !== 'INVALID_CREDENTIALS' && !options.allowUnauthenticated) {
      this.options.onUnauthenticated(error);
    }
    return error;
  }
}

/** The app's client; src/app wires in the session's CSRF token and what to do when the session ends. */
export const apiClient = new ApiClient();
