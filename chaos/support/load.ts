import type { JobRequestInput } from '@inferq/core';
import { sleep, submitJob } from './client';

export interface LoadResult {
  submitted: number;
  /** Ids the api answered 202 for, with the output each must end with. */
  acknowledged: Map<string, string>;
  /** Submissions answered by anything but a 202 (0 = no answer), by status. */
  refused: Map<number, number>;
  /** When each 202 arrived (ms), in order. */
  ackTimes: number[];
}

/**
 * Submits `count` jobs through the api with `parallel` requests in flight.
 * `body(i)` builds job i; its prompt is the output sim/echo and the fakes answer with.
 * `apiUrl()` is read per request so a scenario can move the api under the load.
 */
export async function submitLoad(
  apiUrl: () => string,
  key: string,
  count: number,
  parallel: number,
  body: (i: number) => JobRequestInput & { input: { prompt: string } },
  /** Checked before each submission, with the results so far. */
  stop: (sofar: LoadResult) => boolean = () => false,
  /** Pause of each lane between its submissions (ms), to spread the load over time. */
  paceMs = 0,
): Promise<LoadResult> {
  const out: LoadResult = { submitted: 0, acknowledged: new Map(), refused: new Map(), ackTimes: [] };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count && !stop(out)) {
      const b = body(next++);
      out.submitted++;
      const r = await submitJob(apiUrl(), key, b);
      if (r.ok) {
        out.acknowledged.set(r.id, b.input.prompt);
        out.ackTimes.push(Date.now());
        if (paceMs > 0) await sleep(paceMs);
        continue;
      }
      out.refused.set(r.status, (out.refused.get(r.status) ?? 0) + 1);
      await sleep(50); // the api is down or refusing: do not spin
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return out;
}
