import { jobPool } from '@inferq/core';
import type { JobRecord } from '@inferq/core';
import type { JobStore, RedisClient } from '@inferq/store';
import { sleep } from './client';

/** What an audit reads through: the store for records, the raw client for streams and indexes. */
export interface AuditSource {
  store: JobStore;
  redis: RedisClient;
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

export interface JobAudit {
  record: JobRecord | undefined;
  /** Terminal status entries in the job's event stream: exactly one is correct. */
  terminalTransitions: number;
  /** `done` entries in the job's event stream: exactly one is correct. */
  doneEntries: number;
}

export interface AuditResult {
  jobs: Map<string, JobAudit>;
  terminal: number;
  /** Acknowledged jobs not terminal by the deadline. */
  lost: string[];
  /** Jobs with more than one terminal transition or done entry. */
  duplicated: string[];
}

/** Polls until every job is terminal or `timeoutMs` passes; returns the ids still not terminal. */
export async function waitTerminal(src: AuditSource, ids: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let pending = ids;
  for (;;) {
    const statuses = await statusesOf(src, pending);
    pending = pending.filter((_, i) => !TERMINAL.has(statuses[i] ?? ''));
    if (pending.length === 0 || Date.now() > deadline) return pending;
    await sleep(250);
  }
}

export async function statusesOf({ store, redis }: AuditSource, ids: string[]): Promise<Array<string | undefined>> {
  const status = new Map<string, string>();
  // One pipeline per pool: on a Redis Cluster a pipeline's keys must share a slot, and a pool's jobs do.
  for (const group of byPool(ids).values()) {
    for (let i = 0; i < group.length; i += 500) {
      const chunk = group.slice(i, i + 500);
      const pipe = redis.pipeline();
      for (const id of chunk) pipe.hget(store.keys.job(id), 'status');
      const rows = (await pipe.exec()) ?? [];
      rows.forEach(([, v], k) => {
        if (typeof v === 'string') status.set(chunk[k] ?? '', v);
      });
    }
  }
  return ids.map((id) => status.get(id));
}

/** Job ids by the pool their id names, in order. */
export function byPool(ids: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of ids) {
    const pool = jobPool(id) ?? 'default';
    const group = out.get(pool) ?? [];
    if (group.length === 0) out.set(pool, group);
    group.push(id);
  }
  return out;
}

/**
 * Waits for the jobs, then audits each one: its record, and its event stream
 * (the transition scripts append one `status` entry per transition, and at
 * the terminal one a `done` entry carrying the final status, atomically with
 * the record).
 */
export async function auditJobs(src: AuditSource, ids: string[], timeoutMs: number): Promise<AuditResult> {
  const lost = await waitTerminal(src, ids, timeoutMs);
  const { store, redis } = src;
  const jobs = new Map<string, JobAudit>();
  const duplicated: string[] = [];
  for (const id of ids) {
    const entries = await redis.xrange(store.keys.jobEvents(id), '-', '+');
    let terminalTransitions = 0;
    let doneEntries = 0;
    for (const [, fields] of entries) {
      const f = fieldsOf(fields);
      if (f.type === 'done') doneEntries++;
      // The terminal write is one `done` entry carrying the final status (a `status` entry, then an empty `done`, before).
      if (f.type !== 'token' && TERMINAL.has(statusIn(f.data))) terminalTransitions++;
    }
    if (terminalTransitions > 1 || doneEntries > 1) duplicated.push(id);
    jobs.set(id, { record: (await store.get(id))?.record, terminalTransitions, doneEntries });
  }
  return { jobs, terminal: ids.length - lost.length, lost, duplicated };
}

/** Jobs whose record is not `succeeded` with exactly the expected output text. */
export function wrongOutputs(audit: AuditResult, expected: Map<string, string>): string[] {
  const wrong: string[] = [];
  for (const [id, a] of audit.jobs) {
    if (a.record?.status !== 'succeeded' || a.record.output?.text !== expected.get(id)) wrong.push(id);
  }
  return wrong;
}

/** Ids in the tenant's index that are not terminal: records no worker will ever finish. */
export async function stuckRecords(src: AuditSource, tenant: string): Promise<string[]> {
  const ids = await src.redis.zrange(src.store.keys.tenantJobs(tenant, 'default'), 0, -1);
  const statuses = await statusesOf(src, ids);
  return ids.filter((_, i) => statuses[i] !== undefined && !TERMINAL.has(statuses[i] ?? ''));
}

function fieldsOf(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

function statusIn(data: string | undefined): string {
  try {
    const v = JSON.parse(data ?? '') as { status?: unknown };
    return typeof v.status === 'string' ? v.status : '';
  } catch {
    return '';
  }
}
