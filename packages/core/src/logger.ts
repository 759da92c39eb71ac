import pino from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  'api_key',
  'key',
  'secret',
  'token',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.token',
  // Headers wherever a request or an SDK error is logged, and secrets by their env names.
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'req.headers["x-api-key"]',
  'webhookSecret',
  '*.webhookSecret',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'ADMIN_TOKEN',
  'METRICS_TOKEN',
  'API_KEYS',
  '*.OPENAI_API_KEY',
  '*.ANTHROPIC_API_KEY',
  '*.ADMIN_TOKEN',
  '*.METRICS_TOKEN',
  '*.API_KEYS',
];

/** JSON lines on stdout, one logger per process, children per component. */
export function createLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  // `destination` lets a test read the lines; processes write to stdout.
  return destination ? pino(options, destination) : pino(options);
}
