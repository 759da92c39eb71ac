import { jobPool } from '@inferq/core';

/**
 * The pool whose slot holds a job's keys, from its id. Only ids the product
 * made reach the store's writes, so anything else is a bug, not bad input.
 */
export function poolOfJob(id: string): string {
  const pool = jobPool(id);
  if (pool === undefined) throw new Error(`not a job id: ${id}`);
  return pool;
}

/** Ids grouped by the pool their id names (one group per slot), in their order. */
export function byPool(ids: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  ids.forEach((id, i) => {
    const pool = jobPool(id) ?? '';
    const at = groups.get(pool);
    if (at) at.push(i);
    else groups.set(pool, [i]);
  });
  return groups;
}
