import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { waitFor } from '@inferq/testkit';
import { InferqClient, WebhookVerificationError } from './index';
import { startStack, TEST_KEY } from './test/stack';
import type { Stack } from './test/stack';

/** A real delivery: api + worker + dispatcher sign and POST to a local receiver. */
let stack: Stack;
let receiver: Server;
let receiverUrl: string;
const deliveries: Array<{ body: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      deliveries.push({ body, headers: req.headers });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const addr = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hooks`;
  // The receiver is on loopback, which deliveries refuse unless allowed.
  stack = await startStack('client-webhooks', { WEBHOOK_ALLOW_HOSTS: '127.0.0.1' }, true);
});
afterAll(async () => {
  await stack.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

it('verifies a real delivery with the tenant secret and rejects it once tampered with', async () => {
  const inferq = new InferqClient({ baseUrl: stack.url, apiKey: TEST_KEY });
  const { id } = await inferq.jobs.create({
    model: 'sim/echo',
    input: { prompt: 'signed and delivered' },
    webhook: { url: receiverUrl, events: ['succeeded'] },
  });
  const delivery = await waitFor(() => deliveries.find((d) => d.body.includes(id)), 20_000);
  const secret = await inferq.webhooks.secret();
  expect(secret).toMatch(/^whsec_/);

  const event = inferq.webhooks.verify(delivery.body, delivery.headers, secret);
  expect(event).toMatchObject({
    type: 'job.succeeded',
    data: { id, status: 'succeeded', output: { text: 'signed and delivered' } },
  });

  const tampered = delivery.body.replace('signed and delivered', 'signed and altered');
  expect(() => inferq.webhooks.verify(tampered, delivery.headers, secret)).toThrow(WebhookVerificationError);
});
