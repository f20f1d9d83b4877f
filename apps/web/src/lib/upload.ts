import type { z } from 'zod';
import { ApiError, apiErrorFromResponse } from './api-error.ts';
import { parseBody } from './parse-body.ts';

export interface UploadProgress {
  loaded: number;
  /** 0 when the browser cannot tell. */
  total: number;
}

/** What the client needs of an XMLHttpRequest: small enough to fake in a unit test. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  getResponseHeader(name: string): string | null;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((event: ProgressEvent) => void) | null };
  onload: ((event: ProgressEvent) => void) | null;
  onerror: ((event: ProgressEvent) => void) | null;
  onabort: ((event: ProgressEvent) => void) | null;
}
export type XhrFactory = () => XhrLike;

export interface UploadAnswer {
  status: number;
  text: string;
  retryAfter: string | null;
}

export interface SendOptions {
  url: string;
  body: FormData;
  headers: Record<string, string>;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Sends a POST and resolves with whatever status came back; rejects only when no answer arrived. */
export function sendWithProgress(createXhr: XhrFactory, options: SendOptions): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ApiError(0, 'ABORTED', 'the upload was cancelled'));
      return;
    }
    const xhr = createXhr();
    const onAbortSignal = () => xhr.abort();
    const cleanUp = () => options.signal?.removeEventListener('abort', onAbortSignal);
    xhr.open('POST', options.url);
    for (const [name, value] of Object.entries(options.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      options.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    };
    xhr.onload = () => {
      cleanUp();
      resolve({ status: xhr.status, text: xhr.responseText, retryAfter: xhr.getResponseHeader('retry-after') });
    };
    xhr.onerror = () => {
      cleanUp();
      reject(new ApiError(0, 'NETWORK_ERROR', 'the upload did not reach the server'));
    };
    xhr.onabort = () => {
      cleanUp();
      reject(new ApiError(0, 'ABORTED', 'the upload was cancelled'));
    };
    options.signal?.addEventListener('abort', onAbortSignal);
    xhr.send(options.body);
  });
}

/** 2xx: the body parsed with its contract; anything else: the ApiError it stands for. */
export function readUploadResponse<S extends z.ZodType>(schema: S, answer: UploadAnswer): z.output<S> {
  if (answer.status >= 200 && answer.status < 300) return parseBody(schema, answer.status, answer.text);
  throw apiErrorFromResponse(answer.status, answer.text, answer.retryAfter);
}
