// Fan out many prompts and collect the results as they finish.
// Run: INFERQ_API_KEY=... node examples/fan-out/fan-out.mjs [count] [concurrency]
import { InferqClient } from '../../packages/client/dist/index.js';

const count = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 100);
const inferq = new InferqClient({
  baseUrl: process.env.INFERQ_URL ?? 'http://127.0.0.1:3000',
  apiKey: process.env.INFERQ_API_KEY ?? '',
});

const prompts = Array.from({ length: count }, (_, i) => `Summarise item number ${i}`);
const results = new Array(count);
const latencies = [];
let next = 0;
const started = Date.now();

// `concurrency` loops, each submitting one prompt and long-polling it to the end:
// at most that many jobs in flight, and 429s are retried by the SDK (Retry-After).
async function loop() {
  while (next < count) {
    const i = next++;
    const t0 = Date.now();
    const { id } = await inferq.jobs.create({
      model: 'sim/echo',
      input: { prompt: prompts[i] },
      metadata: { item: i },
    });
    const job = await inferq.jobs.wait(id);
    latencies.push(Date.now() - t0);
    results[i] = job.status === 'succeeded' ? job.output.text : `${job.status}: ${job.error?.code}`;
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));

const seconds = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const ok = results.filter((r, i) => r === prompts[i]).length;
console.log(
  JSON.stringify({
    jobs: count,
    succeeded: ok,
    seconds: Number(seconds.toFixed(2)),
    jobs_per_s: Number((count / seconds).toFixed(1)),
    p50_ms: latencies[Math.floor(count * 0.5)],
    p99_ms: latencies[Math.floor(count * 0.99)],
  }),
);
process.exitCode = ok === count ? 0 : 1;
