import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisCluster } from './redis-cluster';
import { waitFor } from './test-redis';

/** The file in the cluster's dir that says, once it is up, its seeds (or why it failed). */
const HANDOFF = 'cluster.json';

interface Handoff {
  seeds?: string;
  error?: string;
}

export interface SharedClusterStart {
  /** Holds the nodes' data and the handoff file; `stopRedisClusterAt(dir)` stops it all. */
  dir: string;
  /** Settles once the cluster is up or has failed (never rejects); the teardown awaits it before stopping. */
  settled: Promise<void>;
}

/**
 * Starts the test run's 3-master cluster in the background (jest's global
 * setup): a run that has no cluster suite does not wait the seconds that
 * `redis-cli --cluster create` takes; a suite that has waits in its beforeAll.
 */
export function startSharedCluster(): SharedClusterStart {
  const dir = mkdtempSync(join(tmpdir(), 'inferq-test-cluster-'));
  const write = (h: Handoff) => writeFileSync(join(dir, HANDOFF), JSON.stringify(h));
  const settled = startRedisCluster({ appendonly: false, dir }).then(
    (c) => write({ seeds: c.seeds }),
    (err: unknown) => write({ error: err instanceof Error ? err.message : String(err) }),
  );
  return { dir, settled };
}

/** The shared cluster's seeds (`127.0.0.1:p1,...`), once it is up; throws why it could not start. */
export async function sharedClusterSeeds(dir: string, timeoutMs = 60_000): Promise<string> {
  const handoff = await waitFor(
    () => {
      try {
        return JSON.parse(readFileSync(join(dir, HANDOFF), 'utf8')) as Handoff;
      } catch {
        return undefined; // not written yet
      }
    },
    timeoutMs,
    50,
  );
  if (!handoff.seeds) throw new Error(`the test cluster did not start: ${handoff.error ?? 'unknown'}`);
  return handoff.seeds;
}
