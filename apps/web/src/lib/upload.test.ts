import { importResponse } from '@warrant/contracts';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from './api-client.ts';
import { ApiError } from './api-error.ts';
import { readUploadResponse, sendWithProgress, type XhrLike } from './upload.ts';

const summary = {
  import: {
    id: 'import_000001',
    filename: 'passages.jsonl',
    format: 'jsonl',
    passages: 3,
    bytes: 120,
    warnings: [{ line: 0, message: 'a byte order mark was removed' }],
    createdAt: '2026-01-01T00:00:00.000Z',
    mode: null,
    source: null,
    annotations: 0,
    existingPassages: 0,
    losses: [],
    lossCount: 0,
  },
};

/** Node has no ProgressEvent; the client reads only these three fields. */
const event = (loaded = 0, total = 0) => ({ loaded, total, lengthComputable: total > 0 }) as ProgressEvent;

/** A scripted XMLHttpRequest: records what was sent, answers when told to. */
class FakeXhr implements XhrLike {
  status = 0;
  responseText = '';
  upload: XhrLike['upload'] = { onprogress: null };
  onload: XhrLike['onload'] = null;
  onerror: XhrLike['onerror'] = null;
  onabort: XhrLike['onabort'] = null;
  opened: [string, string] | null = null;
  headers: Record<string, string> = {};
  body: FormData | null = null;
  responseHeaders: Record<string, string> = {};

  open(method: string, url: string) {
    this.opened = [method, url];
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.(event());
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.(event(loaded, total));
  }
  answer(status: number, body: unknown, headers: Record<string, string> = {}) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.responseHeaders = headers;
    this.onload?.(event());
  }
  fail() {
    this.onerror?.(event());
  }
}

function setup() {
  const xhr = new FakeXhr();
  const onUnauthenticated = vi.fn();
  const client = new ApiClient({ createXhr: () => xhr, getCsrfToken: () => 'csrf-9', onUnauthenticated });
  const form = new FormData();
  form.append('file', new Blob(['{"text":"x"}\n']), 'passages.jsonl');
  return { xhr, client, form, onUnauthenticated };
}

describe('readUploadResponse', () => {
  it('parses a 201 with the import contract', () => {
    const parsed = readUploadResponse(importResponse, { status: 201, text: JSON.stringify(summary), retryAfter: null });
    expect(parsed.import.passages).toBe(3);
    expect(parsed.import.warnings[0]?.message).toContain('byte order mark');
  });

  it('turns IMPORT_REJECTED into an ApiError carrying the located problems', () => {
    const details = {
      filename: 'bad.jsonl',
      errorCount: 2,
      errors: [
        { line: 2, message: 'not valid JSON' },
        { line: 3, field: 'id', message: "id 'a' already used on line 1" },
      ],
    };
    const answer = { status: 400, text: JSON.stringify({ error: { code: 'IMPORT_REJECTED', message: 'rejected', details } }), retryAfter: null };
    expect(() => readUploadResponse(importResponse, answer)).toThrow(ApiError);
    try {
      readUploadResponse(importResponse, answer);
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'IMPORT_REJECTED', details });
    }
  });

  it('reads a 413 from a proxy (HTML body) as PAYLOAD_TOO_LARGE', () => {
    expect(() => readUploadResponse(importResponse, { status: 413, text: '<html>too large</html>', retryAfter: null })).toThrow(
      expect.objectContaining({ status: 413, code: 'PAYLOAD_TOO_LARGE' }),
    );
  });

  it('refuses a 201 whose body does not match the contract', () => {
    expect(() => readUploadResponse(importResponse, { status: 201, text: '{"import":{}}', retryAfter: null })).toThrow(
      expect.objectContaining({ code: 'UNEXPECTED_RESPONSE' }),
    );
  });
});

describe('ApiClient.upload', () => {
  it('POSTs the form with the CSRF token, reports progress, and resolves with the parsed summary', async () => {
    const { xhr, client, form } = setup();
    const progress = vi.fn();
    const pending = client.upload('/api/projects/p1/imports', importResponse, form, { onProgress: progress });
    expect(xhr.opened).toEqual(['POST', '/api/projects/p1/imports']);
    expect(xhr.headers['x-csrf-token']).toBe('csrf-9');
    expect(xhr.headers['content-type']).toBeUndefined(); // the browser sets the multipart boundary
    expect(xhr.body).toBe(form);
    xhr.progress(50, 100);
    xhr.progress(100, 100);
    xhr.answer(201, summary);
    await expect(pending).resolves.toEqual(summary);
    expect(progress.mock.calls).toEqual([[{ loaded: 50, total: 100 }], [{ loaded: 100, total: 100 }]]);
  });

  it('reports an unknown total as 0', async () => {
    const { xhr, client, form } = setup();
    const progress = vi.fn();
    const pending = client.upload('/api/projects/p1/imports', importResponse, form, { onProgress: progress });
    xhr.progress(10, 0);
    xhr.answer(201, summary);
    await pending;
    expect(progress).toHaveBeenCalledWith({ loaded: 10, total: 0 });
  });

  it('rejects with NETWORK_ERROR when no answer arrives', async () => {
    const { xhr, client, form } = setup();
    const pending = client.upload('/api/projects/p1/imports', importResponse, form);
    xhr.fail();
    await expect(pending).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('can be cancelled with an AbortSignal', async () => {
    const { client, form } = setup();
    const controller = new AbortController();
    const pending = client.upload('/api/projects/p1/imports', importResponse, form, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('reports a lost session like any other call', async () => {
    const { xhr, client, form, onUnauthenticated } = setup();
    const pending = client.upload('/api/projects/p1/imports', importResponse, form);
    xhr.answer(401, { error: { code: 'UNAUTHENTICATED', message: 'log in' } });
    await expect(pending).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('passes the Retry-After of a 429 on', async () => {
    const { xhr, client, form } = setup();
    const pending = client.upload('/api/projects/p1/imports', importResponse, form);
    xhr.answer(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'retry-after': '30' });
    await expect(pending).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
  });
});

describe('sendWithProgress', () => {
  it('does not even open a request when already aborted', async () => {
    const xhr = new FakeXhr();
    const controller = new AbortController();
    controller.abort();
    const form = new FormData();
    await expect(sendWithProgress(() => xhr, { url: '/x', body: form, headers: {}, signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(xhr.opened).toBeNull();
  });
});
