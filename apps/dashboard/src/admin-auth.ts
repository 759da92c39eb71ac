import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '@inferq/core';

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** `Bearer <token>`, or HTTP Basic with the token as password (any user name). */
export function presentedToken(header: string | undefined): string | undefined {
  const bearer = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
  if (bearer) return bearer;
  const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? '')?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

/**
 * Guards everything under it with ADMIN_TOKEN. A 401 carries a Basic
 * challenge so a browser shows its login prompt. Without ADMIN_TOKEN every
 * request is refused, and the message says why.
 */
export function adminAuth(token: string | undefined): RequestHandler {
  const expected = token ? sha256(token) : undefined;
  return (req, _res, next) => {
    const given = presentedToken(req.headers.authorization);
    if (expected && given && timingSafeEqual(sha256(given), expected)) return next();
    const err = new UnauthorizedError(
      expected ? 'missing or invalid admin token' : 'the dashboard is disabled until ADMIN_TOKEN is set',
    );
    err.headers['WWW-Authenticate'] = 'Basic realm="inferq admin", charset="UTF-8"';
    next(err);
  };
}

/** DASHBOARD_READ_ONLY: only reads pass, whatever Bull Board's own checks do. */
export function readOnlyGuard(): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    next(new ForbiddenError('the dashboard is read-only (DASHBOARD_READ_ONLY)'));
  };
}
