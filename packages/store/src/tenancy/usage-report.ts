import type { ModelCatalog, RedisKeys, UsageRow } from '@inferq/core';
import { usageByDay } from '../tenant-usage';
import type { RedisClient as Redis } from '../redis';

export type { UsageRow };

/** Every UTC day from `from` to `to`, both included (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * One row per day and model from the daily usage hashes the finish script
 * counts into (`<model>|jobs`, `<model>|input_tokens`, `<model>|output_tokens`),
 * summed over the catalog's pools.
 */
export async function usageReport(
  redis: Redis,
  keys: RedisKeys,
  catalog: ModelCatalog,
  tenant: string,
  range: { from: string; to: string },
): Promise<UsageRow[]> {
  const days = daysBetween(range.from, range.to);
  const hashes = await usageByDay(redis, keys, tenant, days, catalog.pools());
  return days.flatMap((date, i) => rowsOfDay(date, hashes[i] ?? {}, catalog));
}

function rowsOfDay(date: string, hash: Record<string, string>, catalog: ModelCatalog): UsageRow[] {
  const byModel = new Map<string, UsageRow>();
  for (const [field, value] of Object.entries(hash)) {
    // A ModelId has no '|', so the last one splits model and counter.
    const cut = field.lastIndexOf('|');
    const model = field.slice(0, cut);
    const counter = field.slice(cut + 1);
    if (counter !== 'jobs' && counter !== 'input_tokens' && counter !== 'output_tokens') continue;
    let row = byModel.get(model);
    if (!row) byModel.set(model, (row = { date, model, jobs: 0, input_tokens: 0, output_tokens: 0 }));
    row[counter] = Number(value);
  }
  const rows = [...byModel.values()].sort((a, b) => a.model.localeCompare(b.model));
  for (const row of rows) {
    const price = catalog.spec(row.model)?.price;
    if (price) {
      const usd = (row.input_tokens * price.input_per_mtok + row.output_tokens * price.output_per_mtok) / 1e6;
      row.estimated_cost_usd = Math.round(usd * 1e6) / 1e6;
    }
  }
  return rows;
}
