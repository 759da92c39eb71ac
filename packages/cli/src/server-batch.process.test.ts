import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test/run-cli';
import { BATCH_KEY, startStack } from './test/stack';
import type { Stack } from './test/stack';

/** `inferq batch --server-side`, the built bin against a real api and worker. */
let stack: Stack;
let env: Record<string, string>;
let dir: string;
beforeAll(async () => {
  stack = await startStack('cli-server-batch', { SIM_TTFT_MS: '5', SIM_TOKEN_MS: '1' });
  env = { INFERQ_URL: stack.url, INFERQ_API_KEY: BATCH_KEY };
  dir = mkdtempSync(join(tmpdir(), 'inferq-cli-sb-'));
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

interface OutLine {
  custom_id: string;
  response: { body: { choices: Array<{ message: { content: string } }> } } | null;
}

it('uploads the file, runs it as one batch and writes its output lines', async () => {
  const input = join(dir, 'prompts.jsonl');
  const out = join(dir, 'results.jsonl');
  const prompts = Array.from({ length: 30 }, (_, i) => `server side ${i}`);
  writeFileSync(
    input,
    prompts.map((p, i) => (i === 3 ? JSON.stringify({ custom_id: 'mine', prompt: p }) : JSON.stringify(p))).join('\n'),
  );
  const r = await runCli(['batch', input, '--out', out, '--model', 'sim/echo', '--server-side'], env);
  expect(r.stderr).toMatch(/batch batch_\w+ completed: 30 completed, 0 failed of 30/);
  expect(r.code).toBe(0);
  const lines = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as OutLine);
  expect(lines).toHaveLength(30);
  const byId = new Map(lines.map((l) => [l.custom_id, l.response?.body.choices[0]?.message.content]));
  expect(byId.get('mine')).toBe('server side 3');
  expect(byId.get('line-1')).toBe('server side 0');
  expect(byId.get('line-30')).toBe('server side 29');
}, 60_000);

it('reports a batch that failed validation with its line errors and exit 1', async () => {
  const input = join(dir, 'openai.jsonl');
  const line = (model: string) => ({
    custom_id: model,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model, messages: [{ role: 'user', content: 'x' }] },
  });
  writeFileSync(input, [line('sim/echo'), line('nope/missing')].map((l) => JSON.stringify(l)).join('\n'));
  const r = await runCli(['batch', input, '--out', join(dir, 'o.jsonl'), '--server-side'], env);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('line 2: model_not_found');
  expect(r.stderr).toMatch(/failed: 0 completed, 0 failed of 0/);
}, 60_000);
