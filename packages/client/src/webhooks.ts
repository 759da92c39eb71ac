import { Webhook, WebhookVerificationError as LibError } from 'standardwebhooks';
import { WebhookVerificationError } from './errors';
import type { HttpClient } from './http';
import type { WebhookEvent } from './types';

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

const SIGNATURE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/**
 * Checks a delivery the Standard Webhooks way (HMAC-SHA256 of
 * "id.timestamp.body", constant-time compare, timestamp within 5 minutes)
 * and returns the parsed event. `rawBody` must be the bytes as received:
 * re-serialised JSON does not match the signature.
 */
export function verifyWebhook(rawBody: string | Buffer, headers: HeaderBag, secret: string): WebhookEvent {
  const picked: Record<string, string> = {};
  for (const name of SIGNATURE_HEADERS) {
    const value = headerValue(headers, name);
    if (!value) throw new WebhookVerificationError(`missing ${name} header`);
    picked[name] = value;
  }
  try {
    return new Webhook(secret).verify(rawBody, picked) as WebhookEvent;
  } catch (err) {
    if (err instanceof LibError) throw new WebhookVerificationError(err.message, { cause: err });
    throw new WebhookVerificationError(`could not verify: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (isHeaders(headers)) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v[0] : v;
}

function isHeaders(h: HeaderBag): h is Headers {
  return typeof (h as Headers).get === 'function' && typeof (h as Headers).has === 'function';
}

export class Webhooks {
  constructor(private readonly http: HttpClient) {}

  /** GET /v1/webhooks/secret: the tenant's `whsec_...` signing secret. */
  async secret(o: { signal?: AbortSignal } = {}): Promise<string> {
    const body = await this.http.json<{ secret: string }>('GET', '/v1/webhooks/secret', { signal: o.signal });
    return body.secret;
  }

  /** See verifyWebhook. */
  verify(rawBody: string | Buffer, headers: HeaderBag, secret: string): WebhookEvent {
    return verifyWebhook(rawBody, headers, secret);
  }
}
