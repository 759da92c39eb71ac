import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import calculateSlot from 'cluster-key-slot';
import { z } from 'zod';

/** The Redis Cluster slot of a key (CRC16 of its hash tag or of the whole key, mod 16384). */
export const keySlot = (key: string): number => calculateSlot(key);

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

const BullScripts = z.record(z.string(), z.object({ name: z.string(), content: z.string() }));

/** BullMQ's Lua scripts by SHA-1, as ioredis sends them (EVALSHA). */
export function bullmqScriptNames(): Map<string, string> {
  // BullMQ exports no script index; its CommonJS build has one.
  const load = createRequire(require.resolve('bullmq'));
  const scripts = BullScripts.parse(load('./scripts/index.js'));
  return new Map(Object.values(scripts).map((s) => [sha1(s.content), `BullMQ ${s.name}`]));
}

/** Our scripts, known by a line of their body (they are spread over several packages, not all exported). */
const OUR_SCRIPTS: Array<[string, string]> = [
  ["'status', 'req', 'created_at'", 'store start (JobStore.start)'],
  ["'status', 'model', 'webhook'", 'store finish (JobStore.succeed/fail/cancel)'],
  ["if st ~= 'running' then return -1 end", 'store requeue (JobStore.requeue)'],
  ["'status', 'attempts'", 'store tokens (JobEventLog.appendTokens)'],
  ["redis.call('HGET', KEYS[2], ARGV[1])", 'api key revoke (ApiKeyStore.revoke)'],
  ["local raw = redis.call('HGET', KEYS[1], 'deliveries')", 'webhook delivery log (WebhookDeliveries)'],
  ["local cur = redis.call('HGET', KEYS[1], 'current')", 'webhook secret rotate (WebhookSecrets)'],
  ["redis.call('GET', KEYS[1]) ~= ARGV[1]", 'idempotency compare-and-set'],
  ["redis.call('set', KEYS[1], 0, 'EX'", 'rate limiter consume (rate-limiter-flexible)'],
];

/** MONITOR quotes arguments the way redis-cli does; ioredis hands them on escaped. */
export function unescapeMonitor(arg: string): string {
  return arg.replace(/\\(x[0-9a-fA-F]{2}|[nrtab"\\])/g, (_m, c: string) => {
    if (c.startsWith('x')) return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', '"': '"', '\\': '\\' } as Record<string, string>)[c] ?? c;
  });
}

/** A name for a script body seen in an EVAL: ours by a line of it, else its first statement. */
export function scriptLabel(body: string): string {
  const ours = OUR_SCRIPTS.find(([line]) => body.includes(line));
  if (ours) return ours[1];
  const line = body.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('--')) ?? '';
  return `script ${sha1(body).slice(0, 8)} (${line.trim().slice(0, 60)})`;
}

export { sha1 };

/** A key with its variable parts named, so one row stands for every job, tenant or day. */
export function keyPattern(key: string, prefix: string): string {
  return key
    .split(prefix)
    .join('<P>')
    .replace(/job_[0-9A-Za-z]{10,}/g, '<job>')
    .replace(/\d{4}-\d{2}-\d{2}/g, '<day>')
    .replace(/key_[0-9a-f]+/g, '<keyid>')
    .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
    .replace(/:idem:[^:]+:.+$/, ':idem:<tenant>:<key>')
    .replace(/:worker:.+$/, ':worker:<id>')
    .replace(/:(scale|probe)\b/g, ':<tenant>')
    .replace(/<P>:pool-[a-z0-9_-]+:/g, '<P>:pool-<pool>:')
    .replace(/:\d+$/, ':<n>');
}
