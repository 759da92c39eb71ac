import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferqClient } from '@inferq/client';
import { waitFor } from '@inferq/testkit';
import { runCli, spawnCli } from './test/run-cli';
import { BATCH_KEY, startStack, TEST_KEY } from './test/stack';
import type { Stack } from './test/stack';

/** The built `inferq` bin (node packages/cli/dist/main.js) against a real api and worker. */
let stack: Stack;
let env: Record<string, string>;
let dir: string;
beforeAll(async () => {
  // 40 ms per token: a streamed answer arrives over a second, a batch takes several.
  stack = await startStack('cli', { SIM_TTFT_MS: '100', SIM_TOKEN_MS: '40' });
  env = { INFERQ_URL: stack.url, INFERQ_API_KEY: TEST_KEY };
  dir = mkdtempSync(join(tmpdir(), 'inferq-cli-'));
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

interface BatchResult {
  line: number;
  status: string;
  custom_id?: string;
}

const words = (n: number, tag = 'w'): string => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

it('submit --wait prints the answer', async () => {
  const r = await runCli(['submit', '--model', 'sim/echo', '--wait', 'hello', 'from', 'the', 'cli'], env);
  expect(r).toMatchObject({ code: 0, stdout: 'hello from the cli\n' });
});

it('submit --stream prints tokens as they arrive', async () => {
  const prompt = words(30);
  const r = await runCli(['submit', '--model', 'sim/echo', '--stream', prompt], env);
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toBe(prompt);
  // Written piecemeal over the ~1.2 s of generation, not at once at the end.
  expect(r.stdoutTimes.length).toBeGreaterThan(3);
  expect(r.stdoutTimes.at(-1)! - r.stdoutTimes[0]).toBeGreaterThan(300);
});

it('submit prints the id; get --wait prints the record; cancel of an ended job is a 409', async () => {
  const submitted = await runCli(['submit', '-m', 'sim/echo', 'short one'], env);
  const id = submitted.stdout.trim();
  expect(id).toMatch(/^job_/);
  const got = await runCli(['get', id, '--wait'], env);
  expect(JSON.parse(got.stdout)).toMatchObject({ id, status: 'succeeded', output: { text: 'short one' } });
  const again = await runCli(['cancel', id], env);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/409 conflict/);
});

it('cancel stops a job before it ends', async () => {
  const id = (await runCli(['submit', '-m', 'sim/echo', words(200)], env)).stdout.trim();
  const r = await runCli(['cancel', id], env);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ id, status: 'canceled' });
});

it('models lists the sim model', async () => {
  const r = await runCli(['models'], env);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^MODEL\s+BACKEND\s+POOL$/m);
  expect(r.stdout).toMatch(/^sim\/echo\s+sim\s+default$/m);
});

it('reports API errors with their code and details, and usage errors with exit 2', async () => {
  const bad = await runCli(['submit', '-m', 'nope/model', '--wait', 'hi'], env);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/400 validation_error/);
  expect(bad.stderr).toMatch(/model: /);
  const noKey = await runCli(['models'], { INFERQ_URL: stack.url });
  expect(noKey).toMatchObject({ code: 2 });
  expect(noKey.stderr).toMatch(/INFERQ_API_KEY/);
  const wrongKey = await runCli(['models'], { ...env, INFERQ_API_KEY: 'wrong_key_0123456789' });
  expect(wrongKey.stderr).toMatch(/401 unauthorized/);
  expect((await runCli(['submit', 'no model'], env)).code).toBe(2);
});

it('batch runs 200 prompts, survives Ctrl-C and resumes without submitting anything twice', async () => {
  const input = join(dir, 'prompts.jsonl');
  const out = join(dir, 'results.jsonl');
  const prompts = Array.from({ length: 200 }, (_, i) => `prompt ${i} ${words(3, `p${i}-`)}`);
  const lines = prompts.map((p, i) =>
    i % 3 === 0
      ? JSON.stringify(p)
      : i % 3 === 1
        ? JSON.stringify({ custom_id: `c${i}`, prompt: p })
        : JSON.stringify({ messages: [{ role: 'user', content: p }] }),
  );
  lines.push(JSON.stringify({ prompt: 'bad', priority: 'urgent' })); // line 201: the server refuses it
  writeFileSync(input, `${lines.join('\n')}\n`);
  const batchEnv = { INFERQ_URL: stack.url, INFERQ_API_KEY: BATCH_KEY };
  const args = ['batch', input, '--out', out, '--model', 'sim/echo', '--concurrency', '8'];

  const first = spawnCli(args, batchEnv);
  await waitFor(
    () => (existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 40 ? true : undefined),
    30_000,
  );
  first.child.kill('SIGINT');
  expect(await first.exited).toBe(130);
  expect(first.stderr()).toMatch(/run the same command again to resume/);
  const partial = readFileSync(out, 'utf8').trim().split('\n').length;
  expect(partial).toBeLessThan(201);

  const second = await runCli(args, batchEnv);
  expect(second.code).toBe(0);
  expect(second.stderr).toMatch(/201\/201 ok \d+ failed \d+/);
  const results = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as BatchResult);
  expect(results).toHaveLength(201);
  expect(new Set(results.map((r) => r.line)).size).toBe(201);
  for (const r of results.filter((x) => x.line <= 200)) {
    expect(r).toMatchObject({ status: 'succeeded', output: { text: prompts[r.line - 1] } });
    if ((r.line - 1) % 3 === 1) expect(r.custom_id).toBe(`c${r.line - 1}`);
  }
  expect(results.find((r) => r.line === 201)).toMatchObject({
    status: 'rejected',
    error: { code: 'validation_error' },
  });
  expect(existsSync(`${out}.state`)).toBe(false);

  // Exactly one job per prompt on the server: the resumed run submitted nothing twice.
  const client = new InferqClient({ baseUrl: stack.url, apiKey: BATCH_KEY });
  let count = 0;
  for (let cursor: string | undefined; ;) {
    const page = await client.jobs.list({ limit: 100, cursor });
    count += page.data.length;
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  expect(count).toBe(200);
}, 120_000);
