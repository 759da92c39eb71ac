import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { ModelsFile } from '@inferq/core';
import { freePort } from '@inferq/testkit';
import { InferqClient } from './index';
import { startStack, TEST_KEY } from './test/stack';
import type { Stack } from './test/stack';

/** The examples/ programs, run with plain node against the built SDK (`tsc -b` first). */
const EXAMPLES = resolve(__dirname, '../../../examples');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('examples', { SIM_TTFT_MS: '0', SIM_TOKEN_MS: '0' });
});
afterAll(() => stack.close());

function run(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [resolve(EXAMPLES, script), ...args], {
    env: { PATH: process.env.PATH ?? '', INFERQ_URL: stack.url, INFERQ_API_KEY: TEST_KEY, ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
  return { child, output: () => out, exited };
}

it('fan-out submits a thousand prompts and collects every result', async () => {
  const r = run('fan-out/fan-out.mjs', ['1000', '100'], {});
  expect(await r.exited).toBe(0);
  const summary = JSON.parse(r.output().trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  expect(summary).toMatchObject({ jobs: 1000, succeeded: 1000 });
  process.stdout.write(`fan-out: ${JSON.stringify(summary)}\n`);
}, 120_000);

it('openai-batch runs a batch through the openai SDK and prints every answer', async () => {
  const r = run('openai-batch/batch.mjs', ['20', 'sim/echo'], {});
  expect(await r.exited).toBe(0);
  const out = r.output().trim().split('\n');
  expect(JSON.parse(out.at(-1) ?? '{}')).toMatchObject({ status: 'completed', completed: 20, failed: 0 });
  expect(out).toContain('question-7: What is 7 + 7?');
}, 60_000);

it('webhook-receiver accepts a signed delivery and refuses a tampered one', async () => {
  const port = await freePort();
  const secret = await new InferqClient({ baseUrl: stack.url, apiKey: TEST_KEY }).webhooks.secret();
  const r = run('webhook-receiver/receiver.mjs', [], { PORT: String(port) });
  try {
    await new Promise<void>((ok) => r.child.stdout.on('data', () => r.output().includes('listening') && ok()));
    const body = JSON.stringify({
      type: 'job.succeeded',
      timestamp: new Date().toISOString(),
      data: { id: 'job_x', status: 'succeeded', output: { text: 'hi' } },
    });
    const at = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_1', at, body),
    };
    const url = `http://127.0.0.1:${port}/hooks`;
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(204);
    expect((await fetch(url, { method: 'POST', headers, body: body.replace('hi', 'ho') })).status).toBe(400);
    expect(r.output()).toContain('"type":"job.succeeded","job":"job_x"');
  } finally {
    r.child.kill('SIGTERM');
    await r.exited;
  }
});

it('gpu-pool/models.json is a valid MODELS_FILE', () => {
  const file = ModelsFile.parse(JSON.parse(readFileSync(resolve(EXAMPLES, 'gpu-pool/models.json'), 'utf8')));
  expect(file.models[0]).toMatchObject({ id: 'local/llama-3.1-8b', backend: 'openai-compatible', pool: 'gpu-a100' });
});
