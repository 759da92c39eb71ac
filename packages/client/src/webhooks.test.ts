import { Webhook } from 'standardwebhooks';
import { InferqClient, verifyWebhook, WebhookVerificationError } from './index';
import type { WebhookEvent } from './index';

/** Real HMAC-SHA256 signatures made by the Standard Webhooks library, as the dispatcher signs. */
const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const event: WebhookEvent = {
  type: 'job.succeeded',
  timestamp: new Date().toISOString(),
  data: {
    id: 'job_01JABCDEFGHJKMNPQRSTVWXYZ0',
    status: 'succeeded',
    model: 'sim/echo',
    created_at: '2025-01-01T12:00:00.000Z',
    started_at: '2025-01-01T12:00:00.003Z',
    completed_at: '2025-01-01T12:00:00.815Z',
    attempts: 1,
    output: { text: 'Hello', finish_reason: 'stop' },
    usage: { input_tokens: 1, output_tokens: 1 },
    error: null,
    timings: { queue_ms: 3, run_ms: 812, ttft_ms: 95 },
    metadata: null,
    webhook: null,
  },
};

function signed(body: string, at = new Date(), id = 'msg_2b8d6c1e') {
  return {
    body,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    },
  };
}

it('verifies a signed delivery and returns the typed event', () => {
  const { body, headers } = signed(JSON.stringify(event));
  expect(verifyWebhook(body, headers, secret)).toEqual(event);
  expect(verifyWebhook(Buffer.from(body), new Headers(headers), secret)).toEqual(event);
  // Node's IncomingHttpHeaders and a client's own capitalisation alike.
  const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
  const client = new InferqClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
  expect(client.webhooks.verify(body, upper, secret).data.id).toBe(event.data.id);
});

it('rejects a tampered body, a forged signature, another secret, a stale timestamp and missing headers', () => {
  const { body, headers } = signed(JSON.stringify(event));
  const reject =
    (b: string, h: Record<string, string>, s = secret) =>
    () =>
      verifyWebhook(b, h, s);

  expect(reject(body.replace('"succeeded"', '"failed"'), headers)).toThrow(WebhookVerificationError);
  const forged = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
  expect(reject(body, { ...headers, 'webhook-signature': forged })).toThrow(WebhookVerificationError);
  const other = `whsec_${Buffer.from('another-secret-another-secret-00').toString('base64')}`;
  expect(reject(body, headers, other)).toThrow(WebhookVerificationError);
  const old = signed(body, new Date(Date.now() - 10 * 60_000));
  expect(reject(old.body, old.headers)).toThrow(/timestamp/i);
  const { ['webhook-signature']: _dropped, ...unsigned } = headers;
  expect(reject(body, unsigned)).toThrow(/missing webhook-signature/);
});
