// Two tenants share one pool: "noisy" floods it, "quiet" submits a few jobs meanwhile.
// With fair scheduling the quiet tenant's jobs start at the next free slot instead of
// behind the flood. Needs the admin token (it creates the two tenants' keys):
//   INFERQ_ADMIN_TOKEN=... node examples/fair-share/fair-share.mjs [flood]
import { InferqClient } from '../../packages/client/dist/index.js';

const baseUrl = process.env.INFERQ_URL ?? 'http://127.0.0.1:3000';
const admin = process.env.INFERQ_ADMIN_TOKEN ?? '';
const flood = Number(process.argv[2] ?? 2000);

async function keyFor(tenant) {
  const res = await fetch(`${baseUrl}/v1/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ tenant }),
  });
  if (res.status !== 201) throw new Error(`creating a key for ${tenant}: ${res.status} ${await res.text()}`);
  return (await res.json()).key;
}

const noisy = new InferqClient({ baseUrl, apiKey: await keyFor('noisy') });
const quiet = new InferqClient({ baseUrl, apiKey: await keyFor('quiet') });
const job = (text) => ({ model: 'sim/echo', input: { prompt: text } });

// The flood: `flood` jobs, 200 submissions at a time.
const noisyIds = [];
for (let i = 0; i < flood; i += 200) {
  const batch = Array.from({ length: Math.min(200, flood - i) }, (_, j) => noisy.jobs.create(job(`flood ${i + j}`)));
  noisyIds.push(...(await Promise.all(batch)).map((j) => j.id));
}
const last = await noisy.jobs.get(noisyIds[noisyIds.length - 1]);
console.log(`noisy: ${flood} jobs queued; its last one has ${last.queue?.ahead ?? '?'} jobs ahead of it`);

// The quiet tenant: 5 jobs, one every half second, each waited for.
for (let i = 0; i < 5; i++) {
  const { id } = await quiet.jobs.create(job(`quiet ${i}`));
  const done = await quiet.jobs.wait(id);
  console.log(`quiet: job ${i} waited ${done.timings.queue_ms} ms in the queue, ran ${done.timings.run_ms} ms`);
  await new Promise((r) => setTimeout(r, 500));
}

// A deadline: a job that may wait at most 1 s to start, queued behind the flood's priority level.
const late = await quiet.jobs.create({ ...job('only if soon'), priority: 'low', deadline_s: 1 });
const ended = await quiet.jobs.wait(late.id);
console.log(
  `quiet: a low-priority job with deadline_s 1 ended ${ended.status} (${ended.error?.code ?? 'ran in time'})`,
);

// The flood's own waits, for comparison: the last of its jobs waited behind the rest of the flood.
const lastDone = await noisy.jobs.wait(noisyIds[noisyIds.length - 1], { timeoutMs: 600_000 });
console.log(`noisy: its last job waited ${lastDone.timings.queue_ms} ms in the queue`);
