import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { ErrorBody } from '@warrant/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../lib/errors.ts';

/** The Content-Security-Policy: scripts, styles and everything else from this origin only. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const cspHeader = Object.entries(CSP_DIRECTIVES)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join(';');

/**
 * The headers for the few answers Fastify gives before any hook runs (a path that is not valid
 * percent-encoding, a path parameter over the length limit): helmet never sees those.
 */
const FALLBACK_HEADERS = {
  'content-security-policy': cspHeader,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * `frameworkErrors` for the server options (buildServer): a malformed URL gets the app's error
 * shape and the security headers, like every other answer.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const body: ErrorBody = {
    error: { code: 'VALIDATION_FAILED', message: tooLong ? 'a part of this address is too long' : 'this address is not valid' },
  };
  void reply
    .headers(FALLBACK_HEADERS)
    .status(tooLong ? 414 : 400)
    .type('application/json; charset=utf-8')
    .send(body);
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The JSON path of the first string (or key) in a parsed body that is not well-formed Unicode (an
 * unpaired surrogate, `"\ud800"`), or null. JSON.parse accepts them; SQLite would store bytes that
 * are not UTF-8, read back as U+FFFD. Walks without recursion: bodies can be deep.
 */
function loneSurrogatePath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, 'body']];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return path;
    } else if (Array.isArray(item)) {
      item.forEach((child, i) => stack.push([child, `${path}.${i}`]));
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (LONE_SURROGATE.test(key)) return path;
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/** Cookies and security headers, on every response including errors. */
export default fp(
  async (fastify) => {
    // Fastify's own JSON parsing (prototype-poisoning checks, the body limit), then text that
    // is not well-formed Unicode refused with its path.
    const parseJson = fastify.getDefaultJsonParser('error', 'error');
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      parseJson(request, body as string, (error, value) => {
        if (error) return done(error, undefined);
        const path = loneSurrogatePath(value);
        if (path !== null) {
          const message = `${path}: not valid Unicode text (an unpaired surrogate)`;
          return done(new AppError(400, 'VALIDATION_FAILED', message, { issues: [{ path, message }] }), undefined);
        }
        return done(null, value);
      });
    });
    await fastify.register(cookie);
    await fastify.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      crossOriginEmbedderPolicy: false,
      // HSTS only makes sense behind HTTPS; a reverse proxy that terminates TLS should set it.
      strictTransportSecurity: false,
    });
  },
  { name: 'security' },
);
