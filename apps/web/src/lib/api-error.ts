import { errorBody, type ErrorCode } from '@warrant/contracts';

/** Codes the client gives errors that never reached the server or came back unreadable. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'ABORTED' | 'UNEXPECTED_RESPONSE';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/** A failed API call: the HTTP status (0 when there was no answer), a stable code, the server's message and details. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;
  /** From the Retry-After header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: ApiErrorCode, message: string, details?: unknown, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A code for answers that are not our JSON error body (a proxy's HTML page, an empty 502). */
function codeForStatus(status: number): ErrorCode | ClientErrorCode {
  switch (status) {
    case 400:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'STORAGE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL' : 'UNEXPECTED_RESPONSE';
  }
}

function parseRetryAfter(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turns a non-2xx answer into an ApiError, reading the body with the shared `errorBody` contract. */
export function apiErrorFromResponse(status: number, bodyText: string, retryAfterHeader?: string | null): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  let json: unknown;
  try {
    json = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    json = undefined;
  }
  const parsed = errorBody.safeParse(json);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(status, code, message, details, retryAfter);
  }
  return new ApiError(status, codeForStatus(status), `the server answered ${status}`, undefined, retryAfter);
}

/** Seconds to wait before trying again: the error's details, else its Retry-After header. */
export function retryAfterSeconds(error: ApiError): number | undefined {
  const details = error.details;
  if (typeof details === 'object' && details !== null && 'retryAfterSeconds' in details) {
    const value = (details as { retryAfterSeconds: unknown }).retryAfterSeconds;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return error.retryAfterSeconds;
}

/** `details.issues` of a VALIDATION_FAILED answer, keyed by the last segment of each path ("body.name" -> "name"). */
export function fieldIssues(error: unknown): Record<string, string> {
  if (!isApiError(error) || error.code !== 'VALIDATION_FAILED') return {};
  const details = error.details;
  if (typeof details !== 'object' || details === null || !('issues' in details)) return {};
  const issues = (details as { issues: unknown }).issues;
  if (!Array.isArray(issues)) return {};
  const result: Record<string, string> = {};
  for (const issue of issues) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const field = path.split('.').pop() ?? path;
    result[field] ??= message;
  }
  return result;
}
