import type { JobStatus, RedisKeys } from '@inferq/core';
import type { NewJob } from './record-codec';
import { encodeNewJob, requestJson } from './record-codec';
import { encodePayloadSync } from './payload-codec';
import type { FinishItem, FinishResult, JobStoreOptions, StartItem } from './job-store-types';
import { EVENTS_RETENTION_MS, PAYLOAD_RETENTION_MS, trimBound, USAGE_RETENTION_MS, utcDay } from './job-store-types';

/*
 * The arguments of the batched transition scripts (lua/job-create.lua, lua/job-discard.lua,
 * lua/job-start.lua, lua/job-finish.lua): the number of keys, the keys (a set per job, all in the pool's slot), then
 * the shared ARGV and each job's entries, in the order the scripts' headers give.
 */

/**
 * Keys several jobs of a call share (a tenant's), each named once after the jobs' own: a key costs
 * Redis about as much to take in as a command. `after` counts the keys before the first group.
 */
class SharedKeys {
  readonly keys: string[] = [];
  private readonly at = new Map<string, string>();

  constructor(private readonly after: number) {}

  /** The 1-based position in KEYS of the group named `id`, its keys made by `make` the first time. */
  position(id: string, make: () => string[]): string {
    let at = this.at.get(id);
    if (at === undefined) {
      at = String(this.after + this.keys.length + 1);
      this.at.set(id, at);
      this.keys.push(...make());
    }
    return at;
  }
}

export function createArgs(k: RedisKeys, jobs: readonly NewJob[]): [number, ...Array<string | Buffer>] {
  const own = jobs.flatMap((j) => [k.job(j.id), k.jobPayload(j.id)]);
  const tenants = new SharedKeys(own.length);
  const perJob = jobs.flatMap((j) => {
    const fields = encodeNewJob(j);
    const at = tenants.position(`${j.tenant}\n${j.pool}`, () => [
      k.tenantJobs(j.tenant, j.pool),
      k.tenantActive(j.tenant, j.pool),
    ]);
    return [j.id, j.payload ?? encodePayloadSync(requestJson(j.request)), at, String(fields.length), ...fields];
  });
  return [own.length + tenants.keys.length, ...own, ...tenants.keys, ...perJob];
}

export function discardArgs(
  k: RedisKeys,
  pool: string,
  jobs: ReadonlyArray<{ id: string; tenant: string }>,
): [number, ...string[]] {
  const keys = jobs.flatMap(({ id, tenant }) => [
    ...[k.job(id), k.jobEvents(id), k.jobPayload(id)],
    ...[k.tenantJobs(tenant, pool), k.tenantActive(tenant, pool)],
  ]);
  return [keys.length, ...keys, ...jobs.map((j) => j.id)];
}

export function startArgs(k: RedisKeys, pool: string, streamMaxLen: string, jobs: StartItem[]): [number, ...string[]] {
  const keys = [k.webhookOutbox(pool), ...jobs.flatMap(({ id }) => [k.job(id), k.jobEvents(id), k.jobPayload(id)])];
  const perJob = jobs.flatMap(({ id, attempt }) => [id, String(attempt)]);
  const now = String(jobs[0]?.now ?? Date.now());
  return [keys.length, ...keys, now, k.eventsChannel(pool), streamMaxLen, ...perJob];
}

export function finishArgs(
  k: RedisKeys,
  opts: JobStoreOptions,
  pool: string,
  streamMaxLen: string,
  jobs: FinishItem[],
): [number, ...Array<string | Buffer>] {
  const retention = opts.retentionMs;
  const own = [k.webhookOutbox(pool), ...jobs.flatMap(({ id }) => [k.job(id), k.jobEvents(id), k.jobPayload(id)])];
  const tenants = new SharedKeys(own.length);
  const shared = [
    ...[String(retention), k.eventsChannel(pool), streamMaxLen],
    ...[String(opts.usageRetentionMs ?? USAGE_RETENTION_MS), k.cancelChannel(pool)],
    String(Math.min(opts.payloadRetentionMs ?? PAYLOAD_RETENTION_MS, retention)),
    String(Math.min(opts.eventsRetentionMs ?? EVENTS_RETENTION_MS, retention)),
  ];
  const perJob = jobs.flatMap((j) => {
    const day = utcDay(j.now);
    const at = tenants.position(`${j.tenant}\n${day}`, () => [
      k.tenantJobs(j.tenant, pool),
      k.tenantActive(j.tenant, pool),
      k.usage(j.tenant, day, pool),
    ]);
    return [
      ...[String(j.now), j.status, j.id, j.allowedFrom.join(','), trimBound(j.now, retention)],
      ...[String(j.usage.input_tokens), String(j.usage.output_tokens), j.tail, j.output, at],
      ...[String(j.fields.length), ...j.fields],
    ];
  });
  return [own.length + tenants.keys.length, ...own, ...tenants.keys, ...shared, ...perJob];
}

/** The jobs' results of a job-finish reply (one flat array: code, status per job), in order. */
export function finishResults(reply: ReadonlyArray<number | string>): FinishResult[] {
  const results: FinishResult[] = [];
  for (let i = 0; i < reply.length; i += 2) results.push(finishResult(reply[i] as number, reply[i + 1] as JobStatus));
  return results;
}

function finishResult(code: number, st: JobStatus): FinishResult {
  if (code === 1) return { kind: 'written', previous: st };
  if (code === 0) return { kind: 'missing' };
  if (code === -1) return { kind: 'terminal', current: st };
  return { kind: 'not_allowed', current: st };
}
