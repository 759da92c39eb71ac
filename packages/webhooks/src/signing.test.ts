import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { signWebhook } from './signing';

/** A secret as the store's WebhookSecrets makes them (its test checks the format). */
const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const body = JSON.stringify({ type: 'job.succeeded', timestamp: '2025-01-01T00:00:00.000Z', data: { id: 'job_1' } });

describe('signWebhook', () => {
  it('produces headers the standardwebhooks library verifies', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook({ id: 'job_1.succeeded', body, secrets: [secret] });
    expect(headers['webhook-id']).toBe('job_1.succeeded');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('carries one signature per secret during a rotation, each verifying alone', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signWebhook({ id: 'm1', body, secrets: [newSecret, oldSecret] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('fails verification for a changed body, id or a stale timestamp', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook({ id: 'm1', body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body.replace('job_1', 'job_2'), { ...headers })).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'm2' })).toThrow(
      WebhookVerificationError,
    );
    const stale = signWebhook({ id: 'm1', body, secrets: [secret], at: new Date(Date.now() - 10 * 60_000) });
    expect(() => new Webhook(secret).verify(body, { ...stale })).toThrow(/too old/);
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook({ id: 'x', body, secrets: [] })).toThrow();
  });
});
