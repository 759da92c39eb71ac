import { Webhook } from 'standardwebhooks';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Standard Webhooks headers for one delivery attempt, signed by the
 * `standardwebhooks` library with each secret; during a rotation window the
 * signatures of the current and the previous secret travel together,
 * space-separated, so receivers still holding the old secret keep verifying.
 * The timestamp is the attempt's own: receivers refuse stale ones (5 min).
 */
export function signWebhook(opts: { id: string; body: string; secrets: readonly string[]; at?: Date }): SignedHeaders {
  if (opts.secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  const at = opts.at ?? new Date();
  const signatures = opts.secrets.map((s) => new Webhook(s).sign(opts.id, at, opts.body));
  return {
    'webhook-id': opts.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * Verifies a delivery with the `standardwebhooks` library itself (what a
 * receiver does): throws its WebhookVerificationError on a bad signature or a
 * timestamp more than 5 min off; returns the parsed body.
 */
export function verifyWebhook(
  secret: string,
  body: string,
  headers: Record<string, string | string[] | undefined>,
): unknown {
  const h: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) h[name] = String(headers[name] ?? '');
  return new Webhook(secret).verify(body, h);
}
