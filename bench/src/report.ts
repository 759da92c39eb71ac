import { compressionTable } from './compression.bench';
import { fairnessTables } from './fairness-report';
import { memoryTable } from './memory.bench';
import type { BenchResults } from './results';

const r1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number) => (b > 0 ? `${r1(a / b)}x` : 'n/a');

/** The markdown table printed on stdout and kept in docs/BENCHMARKS.md. */
export function markdown(r: BenchResults): string {
  const e = r.enqueue;
  const x = r.e2e;
  const c = r.concurrency;
  const lines = [
    `### inferq benchmarks (${r.mode}, ${r.machine}, ${r.date})`,
    '',
    '| benchmark | inferq | naive Express | node:http floor | inferq / naive | inferq / floor | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| enqueue req/s (50 conns) | ${e.inferq.rps} | ${e.naive.rps} | ${e.floor.rps} | ${ratio(e.inferq.rps, e.naive.rps)} | ${ratio(e.inferq.rps, e.floor.rps)} | >= 1.2x naive |`,
    `| enqueue p50 / p99 ms | ${e.inferq.p50} / ${e.inferq.p99} | ${e.naive.p50} / ${e.naive.p99} | ${e.floor.p50} / ${e.floor.p99} | | | p99 <= 30 ms |`,
    `| end-to-end jobs/s | ${x.inferq.jobsPerS} | ${x.naive.jobsPerS} | ${x.floor.jobsPerS} | ${ratio(x.inferq.jobsPerS, x.naive.jobsPerS)} | ${ratio(x.inferq.jobsPerS, x.floor.jobsPerS)} | >= 1.5x naive, >= 0.7x floor |`,
    `| Redis commands / job | ${x.inferq.commandsPerJob} | ${x.naive.commandsPerJob} | ${x.floor.commandsPerJob} | ${ratio(x.inferq.commandsPerJob, x.naive.commandsPerJob)} | ${ratio(x.inferq.commandsPerJob, x.floor.commandsPerJob)} | <= 1.5x floor |`,
    `| Redis CPU us / job | ${x.inferq.redisCpuUsPerJob} | ${x.naive.redisCpuUsPerJob} | ${x.floor.redisCpuUsPerJob} | ${ratio(x.inferq.redisCpuUsPerJob, x.naive.redisCpuUsPerJob)} | ${ratio(x.inferq.redisCpuUsPerJob, x.floor.redisCpuUsPerJob)} | <= 1.5x floor |`,
    `| api CPU us / job | ${x.inferq.apiCpuUsPerJob} | ${x.naive.apiCpuUsPerJob} | ${x.floor.apiCpuUsPerJob} | ${ratio(x.inferq.apiCpuUsPerJob, x.naive.apiCpuUsPerJob)} | ${ratio(x.inferq.apiCpuUsPerJob, x.floor.apiCpuUsPerJob)} | |`,
    `| worker CPU us / job | ${x.inferq.workerCpuUsPerJob} | ${x.naive.workerCpuUsPerJob} | ${x.floor.workerCpuUsPerJob} | ${ratio(x.inferq.workerCpuUsPerJob, x.naive.workerCpuUsPerJob)} | ${ratio(x.inferq.workerCpuUsPerJob, x.floor.workerCpuUsPerJob)} | |`,
    `| api RSS idle / under load MB | ${e.inferq.idleRssMb} / ${e.inferq.loadRssMb} | ${e.naive.idleRssMb} / ${e.naive.loadRssMb} | ${e.floor.idleRssMb} / ${e.floor.loadRssMb} | | | |`,
    '',
    '| latency at a steady 100 jobs/s | p50 ms | p99 ms | baseline (raw BullMQ add -> pick-up) p50 / p99 | target |',
    '| --- | --- | --- | --- | --- |',
    `| submit -> running | ${r.latency.submitToRunning.p50} | ${r.latency.submitToRunning.p99} | ${r.latency.bullmqPickup.p50} / ${r.latency.bullmqPickup.p99} | p50 <= 3 ms |`,
    `| succeeded -> readable by GET (?wait) | ${r.latency.doneToReadable.p50} | ${r.latency.doneToReadable.p99} | | |`,
    '',
    '| concurrency (one worker) | jobs | latency ms | wall ms | ideal ms | wall / ideal | wall / raw BullMQ wall | worker peak RSS MB | target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| sim at fixed latency | ${c.jobs} | ${c.latencyMs} | ${c.wallMs} | ${c.idealMs} | ${c.ratio}x | ${c.wallVsBullmq}x | ${c.workerPeakRssMb} | <= 1.05x, <= 250 MB |`,
    `| raw BullMQ worker (same jobs, sleep) | ${c.jobs} | ${c.latencyMs} | ${c.bullmq.wallMs} | ${c.idealMs} | ${c.bullmq.ratio}x | 1x | ${c.bullmq.workerPeakRssMb} | |`,
    '',
  ];
  if (r.streaming) {
    lines.push(
      '| streaming: time to first token | p50 ms | p99 ms | target |',
      '| --- | --- | --- | --- |',
      `| direct backend call (OpenAI SDK -> fake server) | ${r.streaming.direct.p50} | ${r.streaming.direct.p99} | |`,
      `| submit -> first token event on /events | ${r.streaming.viaSse.p50} | ${r.streaming.viaSse.p99} | |`,
      `| added by inferq (p50) | ${r.streaming.addedP50Ms} | | <= 5 ms |`,
      ...chatRows(r.streaming),
      '',
    );
  } else {
    lines.push(`streaming: not measured (${r.streamingError ?? 'unknown reason'})`, '');
  }
  if (r.batch) {
    const b = r.batch;
    lines.push(
      `| batch API (${b.requests} sim requests) | jobs/s | one by one via POST /v1/jobs jobs/s | batch / one by one | interactive queue wait during it p50 / p99 / max ms (n) |`,
      '| --- | --- | --- | --- | --- |',
      `| one batch, create -> completed | ${b.batchJobsPerS} | ${b.oneByOneJobsPerS} | ${ratio(b.batchJobsPerS, b.oneByOneJobsPerS)} | ${b.interactiveQueueMs.p50} / ${b.interactiveQueueMs.p99} / ${b.interactiveQueueMs.max} (${b.interactiveQueueMs.n}) |`,
      '',
    );
  } else {
    lines.push(`batch: not measured (${r.batchError ?? 'unknown reason'})`, '');
  }
  if (r.fairness) lines.push(...fairnessTables(r.fairness));
  else lines.push(`fairness: not measured (${r.fairnessError ?? 'unknown reason'})`, '');
  lines.push(...commandTable(r.e2e));
  lines.push(...memoryLines(r));
  return lines.join('\n');
}

/** The /v1/chat/completions figures (OpenAI-compatible route), beside the same direct call. */
function chatRows(st: NonNullable<BenchResults['streaming']>): string[] {
  if (!st.viaChat || !st.nonStreaming) return [];
  const n = st.nonStreaming;
  return [
    `| request -> first text chunk on /v1/chat/completions (stream) | ${st.viaChat.p50} | ${st.viaChat.p99} | |`,
    `| added by /v1/chat/completions (p50) | ${st.chatAddedP50Ms} | | |`,
    '',
    '| chat completion without stream: whole answer | p50 ms | p99 ms |',
    '| --- | --- | --- |',
    `| direct backend call | ${n.direct.p50} | ${n.direct.p99} |`,
    `| POST /v1/chat/completions (waits for its job) | ${n.viaChat.p50} | ${n.viaChat.p99} |`,
    `| overhead of the queue | ${n.overhead.p50} | ${n.overhead.p99} |`,
  ];
}

/** Redis calls per job by command in the end-to-end run, one column per system. */
export function commandTable(x: BenchResults['e2e']): string[] {
  const order = ['inferq', 'naive', 'floor'] as const;
  const names = [...new Set(order.flatMap((s) => Object.keys(x[s].commandBreakdown ?? {})))];
  const cell = (s: (typeof order)[number], name: string) => x[s].commandBreakdown?.[name] ?? 0;
  // Most calls first (the most of the three systems), ties by name.
  const most = (name: string) => Math.max(...order.map((s) => cell(s, name)));
  names.sort((a, b) => most(b) - most(a) || a.localeCompare(b));
  return [
    'Redis commands per job, by command (end-to-end run):',
    '',
    '| command | inferq | naive | floor |',
    '| --- | --- | --- | --- |',
    ...names.map((n) => `| ${n} | ${order.map((s) => (cell(s, n) ? cell(s, n) : '-')).join(' | ')} |`),
    '',
    'Same end-to-end window as "Redis commands / job" above; commands under 0.1 per job are left out (-).',
    'Commands run inside Lua scripts (EVALSHA) are counted by Redis under their own names too, so the rows',
    'below evalsha show what the scripts do, and the rows add up to the total above.',
    '',
  ];
}

/** A small SVG line chart of enqueue throughput against in-flight requests. */
export function curveSvg(points: BenchResults['curve']): string {
  const W = 640;
  const H = 360;
  const pad = 50;
  const conns = [...new Set(points.map((p) => p.connections))].sort((a, b) => a - b);
  const maxRps = Math.max(1, ...points.map((p) => p.rps));
  const xOf = (c: number) => pad + (conns.indexOf(c) / Math.max(1, conns.length - 1)) * (W - 2 * pad);
  const yOf = (rps: number) => H - pad - (rps / maxRps) * (H - 2 * pad);
  const colors: Record<string, string> = { inferq: '#d9480f', naive: '#1c7ed6', floor: '#2b8a3e' };
  const series = Object.keys(colors).map((name) => {
    const pts = points
      .filter((p) => p.system === name)
      .map((p) => `${xOf(p.connections).toFixed(1)},${yOf(p.rps).toFixed(1)}`);
    return `<polyline fill="none" stroke="${colors[name]}" stroke-width="2" points="${pts.join(' ')}"/>`;
  });
  const xLabels = conns.map(
    (c) => `<text x="${xOf(c)}" y="${H - pad + 18}" font-size="11" text-anchor="middle">${c}</text>`,
  );
  const yLabels = [0, 0.5, 1].map(
    (f) =>
      `<text x="${pad - 6}" y="${yOf(maxRps * f) + 4}" font-size="11" text-anchor="end">${Math.round(maxRps * f)}</text>`,
  );
  const legend = Object.entries(colors).map(
    ([name, c], i) => `<text x="${W - pad - 90}" y="${pad + i * 16}" font-size="12" fill="${c}">${name}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" font-size="14" text-anchor="middle">POST /v1/jobs throughput (req/s) vs in-flight requests</text>`,
    `<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="#888"/>`,
    `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="#888"/>`,
    ...series,
    ...xLabels,
    ...yLabels,
    ...legend,
    `<text x="${W / 2}" y="${H - 10}" font-size="11" text-anchor="middle">connections (autocannon)</text>`,
    '</svg>',
  ].join('\n');
}

/** Redis memory per job and the payload codecs (issue #19). */
function memoryLines(r: BenchResults): string[] {
  const lines: string[] = [];
  if (r.memory) {
    lines.push(
      `Redis memory per job (MEMORY USAGE of each job's keys plus its share of the index sets; ${r.memoryRedis ?? 'shared Redis'}):`,
      '',
      ...memoryTable(r.memory),
      '',
    );
  } else {
    lines.push(`memory: not measured (${r.memoryError ?? 'unknown reason'})`, '');
  }
  if (r.compression) {
    lines.push(
      'Payload compression on prose, code and chat JSON (size after compression / compression and decompression CPU, µs per KB of text):',
      '',
      ...compressionTable(r.compression),
      '',
    );
  }
  return lines;
}
