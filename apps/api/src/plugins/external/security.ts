import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { ErrorBody } from '@warrant/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

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

/** Cookies and security headers, on every response including errors. */
export default fp(
  async (fastify) => {
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
