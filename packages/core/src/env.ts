import { z } from 'zod';
import { parseBytes, parseDurationMs } from './units';

/**
 * zod pieces for env variables, and the variables every process shares.
 * Each app's env.ts extends `SharedEnv`; nothing else reads process.env.
 */
export const envInt = (def: number, min = 1) =>
  z
    .string()
    .default(String(def))
    .transform((s, ctx) => {
      const n = Number(s);
      if (!/^\d+$/.test(s.trim()) || n < min) {
        ctx.addIssue({ code: 'custom', message: `must be an integer >= ${min}, got "${s}"` });
        return z.NEVER;
      }
      return n;
    });

export const envDurationMs = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s, ctx) => {
      const ms = parseDurationMs(s);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be a duration like 500ms, 5s, 5m, 2h or 7d, got "${s}"` });
        return z.NEVER;
      }
      return ms;
    });

export const envBytes = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s, ctx) => {
      const n = parseBytes(s);
      if (n === undefined || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a size like 512kb or 1mb, got "${s}"` });
        return z.NEVER;
      }
      return n;
    });

/** A comma list; empty items dropped. */
export const envList = (def = '') =>
  z
    .string()
    .default(def)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );

const optionalSecret = z
  .string()
  .optional()
  .transform((s) => (s && s.length > 0 ? s : undefined));
export { optionalSecret as envOptionalSecret };

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** `host:port,host:port` (SPEC section 12): Redis Cluster seed nodes. */
export const envClusterNodes = z.string().transform((s, ctx) => {
  const nodes = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([A-Za-z0-9_.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(entry);
      const port = Number(m?.[2]);
      if (!m?.[1] || port < 1 || port > 65535) {
        ctx.addIssue({ code: 'custom', message: `must be host:port,host:port, got "${entry}"` });
        return undefined;
      }
      return { host: m[1].replace(/^\[|\]$/g, ''), port };
    });
  if (nodes.length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one host:port' });
  return nodes.filter((n) => n !== undefined);
});
export type RedisClusterNode = { host: string; port: number };

export const SharedEnv = z.object({
  /** Redis, standalone; ignored when REDIS_CLUSTER_NODES is set. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /** Redis Cluster seed nodes; when set, every connection is a cluster client. */
  REDIS_CLUSTER_NODES: envClusterNodes.optional(),
  /**
   * Prefix of every Redis key inferq writes. No `{` or `}`: the store puts its
   * own hash tags around parts of keys to place them in Cluster slots.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 of [A-Za-z0-9_.-] (no { or }: the store sets the hash tags)')
    .default('inferq'),
  /** Bind address of every listening port. */
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: LogLevel.default('info'),
  /** JSON file of extra models (SPEC section 5). */
  MODELS_FILE: z.string().min(1).optional(),
  /** How long finished job records are kept. */
  JOB_RETENTION: envDurationMs('7d'),
  /** How long a finished job keeps its input and output text; the record stays (until JOB_RETENTION), `expired`. */
  PAYLOAD_RETENTION: envDurationMs('24h'),
  /** How long a finished job's event stream stays for late SSE readers; replays after it come from the record. */
  EVENTS_RETENTION: envDurationMs('60s'),
  /** When set, /metrics needs this bearer token. */
  METRICS_TOKEN: optionalSecret,
});
export type SharedEnv = z.output<typeof SharedEnv>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses env with the schema; a bad value throws a ConfigError naming the variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
}

/** For main.ts files: parse or print the problem and exit 1. */
export function parseEnvOrExit<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  try {
    return parseEnv(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
