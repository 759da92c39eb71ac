import { JobRequest, newJobId } from '@inferq/core';
import { createScheduling, SchedulerUpkeep } from '@inferq/store';
import { describeOnTargets, waitFor } from '@inferq/testkit';
import { loadWorkerConfig } from './env';
import { startWorker } from './index';
import type { RunningWorker } from './index';
import { workerHarness } from './test/worker-harness';

// A process that dies between a scheduler pick and its BullMQ add leaves the job in `sched:inflight`
// with no BullMQ job: planted here on purpose, then repaired by SchedulerUpkeep.
const POOL = 'default';
type Harness = ReturnType<typeof workerHarness>;

/** A harness's scheduler and an upkeep over it that only repairs when told to (repair() is called directly). */
function rig(x: Harness) {
  const { scheduler, promotion } = createScheduling(x.redis, x.prefix, x.store, x.queues);
  const upkeep = new SchedulerUpkeep(promotion, x.queues, x.store, {
    pools: [POOL],
    slots: 0,
    worker: 'test',
    onError: (err) => {
      throw err;
    },
  });
  const inflightIds = async () => (await scheduler.inflight(POOL)).map((e) => e.id);
  return { scheduler, upkeep, inflightIds };
}

let h: Harness;
let side: Harness;
let main: ReturnType<typeof rig>;
let worker: RunningWorker | undefined;

/**
 * Terminal statuses and ends in the job's event stream: exactly one each is correct. The terminal
 * write appends both as one `done` entry whose data is the status (job-finish.lua).
 */
async function transitions(id: string): Promise<{ terminal: number; done: number }> {
  let terminal = 0;
  let done = 0;
  for (const [, f] of await h.redis.xrange(h.store.keys.jobEvents(id), '-', '+')) {
    const type = f[f.indexOf('type') + 1];
    if (type === 'done') done++;
    if (type !== 'token' && /"(succeeded|failed|canceled)"/.test(f[f.indexOf('data') + 1] ?? '')) terminal++;
  }
  return { terminal, done };
}

/** The worker under test: its own repair loop runs every 200 ms for picks older than 1 s. */
async function runningWorker(): Promise<RunningWorker> {
  worker ??= await startWorker(
    h.config({ WORKER_CONCURRENCY: '2', WORKER_REPAIR_AFTER_MS: '1000', WORKER_REPAIR_EVERY_MS: '200' }),
  );
  return worker;
}

// On standalone Redis and on the run's 3-master cluster (jest's global setup starts it).
describeOnTargets('scheduler repair', (on) => {
  beforeAll(async () => {
    const target = await on.ready();
    h = workerHarness('sched-repair', target);
    side = workerHarness('sched-release', target);
    main = rig(h);
  });
  afterAll(async () => {
    await worker?.close();
    worker = undefined;
    await Promise.all([h?.close(), side?.close()]);
  });

  describe('SchedulerUpkeep.repair', () => {
    it('adds a pick whose BullMQ add was lost again, and a worker then runs it once', async () => {
      const id = await h.submit({ model: 'sim/echo', input: { prompt: 'picked but never added' } });
      // No worker yet: the job waits in its backlog. A capacity statement picks it; nobody adds it.
      const { scheduler, upkeep, inflightIds } = main;
      const pick = await scheduler.capacity(POOL, 'ghost', 1, 60_000);
      expect(pick.promoted.map((p) => p.id)).toEqual([id]);
      expect(await h.queues.has(POOL, id)).toBe(false);
      expect(await inflightIds()).toEqual([id]);

      // A young pick may still be on its way to BullMQ: left alone.
      expect(await upkeep.repair()).toEqual({ readded: [], released: [] });
      const later = Date.now() + 30_001;
      expect(await upkeep.repair(later)).toEqual({ readded: [id], released: [] });
      expect(await h.queues.has(POOL, id)).toBe(true);
      // Once BullMQ has it, there is nothing more to repair.
      expect(await upkeep.repair(later)).toEqual({ readded: [], released: [] });
      await scheduler.capacity(POOL, 'ghost', 0, 60_000);

      await runningWorker();
      expect(await h.terminal(id)).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        output: { text: 'picked but never added' },
      });
      expect(await transitions(id)).toEqual({ terminal: 1, done: 1 });
      expect((await h.queues.get(POOL).getJob(id))?.attemptsStarted).toBe(1);
      // Its finish freed the slot it held.
      await waitFor(async () => ((await inflightIds()).length === 0 ? true : undefined), 10_000);
    });

    it('releases a pick whose job already ended, and the freed slot goes to the next job', async () => {
      const { scheduler, upkeep, inflightIds } = rig(side);
      const ended = await side.submit({ model: 'sim/echo', input: { prompt: 'canceled after its pick' } });
      const next = await side.submit({ model: 'sim/echo', input: { prompt: 'next in line' } });
      expect((await scheduler.capacity(POOL, 'ghost', 1, 60_000)).promoted.map((p) => p.id)).toEqual([ended]);
      expect((await side.store.cancel(ended, 't1')).kind).toBe('written');

      expect(await upkeep.repair(Date.now() + 30_001)).toEqual({ readded: [], released: [ended] });
      expect(await side.queues.has(POOL, ended)).toBe(false);
      expect(await inflightIds()).toEqual([next]);
      expect(await side.queues.has(POOL, next)).toBe(true);
      expect((await side.store.get(ended))?.record.status).toBe('canceled');
    });

    it("is the worker's own loop: a submit whose hand-over never happened still runs, once", async () => {
      const { scheduler, inflightIds } = main;
      await runningWorker();
      // What an api killed between answering 202 and adding the picked job leaves: the record and the
      // pick landed in one MULTI (the pool had a free slot), the BullMQ add never happened.
      const id = newJobId('default');
      const request = JobRequest.parse({ model: 'sim/echo', input: { prompt: 'api died before the add' } });
      const tx = h.store.transaction();
      h.store.appendCreate(tx, { id, tenant: 't1', pool: POOL, createdAt: Date.now(), request });
      scheduler.appendSubmit(tx, POOL, [
        { id, level: 1, tenant: 't1', estimate: 100, weight: 1, attempts: 3, deadlineMs: null, model: 'sim/echo' },
      ]);
      const results = (await tx.exec()) ?? [];
      expect(results.every(([err]) => err === null)).toBe(true);
      expect(await inflightIds()).toEqual([id]);
      expect(await h.queues.has(POOL, id)).toBe(false);

      expect(await h.terminal(id, 20_000)).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(await transitions(id)).toEqual({ terminal: 1, done: 1 });
      await waitFor(async () => ((await inflightIds()).length === 0 ? true : undefined), 10_000);
    });
  });
});

describe('WORKER_REPAIR_AFTER_MS / WORKER_REPAIR_EVERY_MS', () => {
  it('default to 5 s / 5 s and refuse values below 1000 / 100 ms, naming the variable', () => {
    expect(loadWorkerConfig({})).toMatchObject({
      WORKER_REPAIR_AFTER_MS: 5000,
      WORKER_REPAIR_EVERY_MS: 5000,
    });
    expect(() => loadWorkerConfig({ WORKER_REPAIR_AFTER_MS: '999' })).toThrow(/WORKER_REPAIR_AFTER_MS/);
    expect(() => loadWorkerConfig({ WORKER_REPAIR_EVERY_MS: 'soon' })).toThrow(/WORKER_REPAIR_EVERY_MS/);
  });
});
