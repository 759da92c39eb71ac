import { Redis } from 'ioredis';
import { dropPrefix, testPrefix, testRedisUrl } from '@inferq/testkit';
import { newWebhookSecret, ROTATION_OVERLAP_MS, WebhookSecrets } from './secrets';

const prefix = testPrefix('whsec');
const redis = new Redis(testRedisUrl());
const secrets = new WebhookSecrets(redis, prefix);

afterAll(async () => {
  await dropPrefix(prefix);
  redis.disconnect();
});

describe('WebhookSecrets', () => {
  it('makes secrets of whsec_ and 32 random bytes in base64', () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(s);
  });

  it('creates a whsec_ secret on first use and keeps it, one per tenant', async () => {
    const first = await Promise.all(Array.from({ length: 10 }, () => secrets.current('acme')));
    expect(new Set(first).size).toBe(1);
    expect(first[0]).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(first[0].slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(await new WebhookSecrets(redis, prefix).current('acme')).toBe(first[0]);
    expect(await secrets.current('globex')).not.toBe(first[0]);
    expect(await redis.hget(`${prefix}:whsec:acme`, 'current')).toBe(first[0]);
  });

  it('signs with the new and the previous secret for 24 h after a rotation', async () => {
    const old = await secrets.current('rot');
    const now = Date.now();
    const fresh = await secrets.rotate('rot', now);
    expect(fresh).not.toBe(old);
    expect(await secrets.current('rot')).toBe(fresh);
    expect(await secrets.signingSecrets('rot', now + 1000)).toEqual([fresh, old]);
    expect(await secrets.signingSecrets('rot', now + ROTATION_OVERLAP_MS + 1)).toEqual([fresh]);
  });

  it('keeps only the last replaced secret across two rotations', async () => {
    const a = await secrets.current('twice');
    const b = await secrets.rotate('twice');
    const c = await secrets.rotate('twice');
    const signing = await secrets.signingSecrets('twice');
    expect(signing).toEqual([c, b]);
    expect(signing).not.toContain(a);
  });

  it('gives a tenant that rotates before any use a secret, with nothing previous', async () => {
    const s = await secrets.rotate('new-tenant');
    expect(await secrets.signingSecrets('new-tenant')).toEqual([s]);
  });
});
