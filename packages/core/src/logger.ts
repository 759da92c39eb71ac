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

/**
 * A logger for lines made at a high rate (the api's access log, one per
 * request): the same format, level and destination as `parent`, but the lines
 * made in one turn of the event loop reach the destination in one write
 * instead of one write(2) each. Lines are held until the turn's end only, so
 * a crash loses at most that turn's. No redaction: give it only lines that
 * hold no secret.
 */
export function turnBatchedLogger(parent: Logger): Logger {
  const dest = (parent as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym];
  let pending = '';
  const flush = (): void => {
    const text = pending;
    pending = '';
    dest.write(text);
  };
  const stream: pino.DestinationStream = {
    write(line: string) {
      if (pending === '') setImmediate(flush);
      pending += line;
    },
  };
  return pino({ level: parent.level, base: { pid: process.pid, ...parent.bindings() } }, stream);
}
