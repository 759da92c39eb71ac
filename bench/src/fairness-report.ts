import type { FairnessFigures } from './fairness.bench';

const ratio = (a: number, b: number) => (b > 0 ? `${Math.round((a / b) * 10) / 10}x` : 'n/a');

/** The fairness phase's tables (SPEC section 9), each figure beside its same-run baseline or target. */
export function fairnessTables(f: FairnessFigures): string[] {
  const p = f.plan;
  const q = f.quietWaitMs;
  const fifo = f.fifo.quietWaitMs;
  const w = f.weights;
  const s = f.scheduler;
  const target = w.weights[0] / w.weights[1];
  return [
    `Fairness (one worker, ${p.concurrency} slots, sim/echo at ${p.latencyMs} ms a job; the noisy tenant has ${p.noisyJobs} jobs queued when the worker starts, the quiet tenant then submits one every ${p.quietEveryMs} ms; ${f.redis}):`,
    '',
    "| quiet tenant's queue wait | n | p50 ms | p99 ms | max ms | plain FIFO, one BullMQ queue (same jobs, same run) p50 / p99 / max ms | FIFO / scheduler (p50) | target |",
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    `| fair scheduler (record's queue_ms) | ${q.n} | ${q.p50} | ${q.p99} | ${q.max} | ${fifo.p50} / ${fifo.p99} / ${fifo.max} (n ${fifo.n}) | ${ratio(fifo.p50, q.p50)} | the next free slot: within a job's ${p.latencyMs} ms plus pick-up |`,
    '',
    `| tokens served while both tenants are backlogged (${w.jobsEach} jobs each) | tenant A, weight ${w.weights[0]} | tenant B, weight ${w.weights[1]} | A / B | weights' ratio | off by | target |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| tokens (jobs) in ${w.windowMs} ms | ${w.tokens[0]} (${w.jobs[0]}) | ${w.tokens[1]} (${w.jobs[1]}) | ${w.ratio} | ${target} | ${w.offByPct}% | within 10% |`,
    '',
    '| Redis cost per job | commands | CPU us | raw BullMQ FIFO (same jobs): commands / CPU us | inferq / raw BullMQ: commands / CPU | target |',
    '| --- | --- | --- | --- | --- | --- |',
    `| all of inferq over the flood (api, worker, scheduler) | ${f.commandsPerJob} | ${f.redisCpuUsPerJob} | ${f.fifo.commandsPerJob} / ${f.fifo.redisCpuUsPerJob} | ${ratio(f.commandsPerJob, f.fifo.commandsPerJob)} / ${ratio(f.redisCpuUsPerJob, f.fifo.redisCpuUsPerJob)} | |`,
    `| the scheduler alone: ${s.callsPerJob} calls a job on its keys, recorded over ${s.sampleJobs} jobs and replayed | ${s.commandsPerJob} | ${s.cpuUsPerJob} | | | about 6 commands |`,
    '',
    `The scheduler's commands per job, by command (the replay; MONITOR counted ${s.monitoredCommandsPerJob} during the sample):`,
    '',
    '| command | per job |',
    '| --- | --- |',
    ...Object.entries(s.commandBreakdown).map(([name, n]) => `| ${name} | ${n} |`),
    '',
  ];
}
