import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dispatcher from './index';
import * as webhooks from '@inferq/webhooks';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
const files = [...sources(__dirname), ...sources(join(__dirname, '../../../packages/webhooks/src'))];

describe('dispatcher and webhooks conventions', () => {
  it('export exactly their public API', () => {
    expect(Object.keys(dispatcher).sort()).toEqual(['DispatcherEnv', 'loadDispatcherConfig', 'startDispatcher']);
    expect(Object.keys(webhooks).sort()).toEqual([
      'AllowList',
      'MAX_DELIVERIES_KEPT',
      'OUTBOX_GROUP',
      'ROTATION_OVERLAP_MS',
      'WebhookEgress',
      'WebhookSecrets',
      'WebhookUrlPolicy',
      'allowEntryProblem',
      'appendDelivery',
      'blockedAddressReason',
      'deliveryJobId',
      'newWebhookSecret',
      'parseOutboxEntry',
      'parseRetryAfterMs',
      'requestRedelivery',
      'signWebhook',
      'systemResolve',
      'verifyWebhook',
      'webhookMessageId',
    ]);
  });

  it.each(files.map((f) => [f.split('/src/').pop(), f]))(
    '%s reads no process.env unless it is env.ts',
    (name, file) => {
      if (name === 'env.ts') return;
      expect(readFileSync(file, 'utf8')).not.toMatch(/process\.env/);
    },
  );

  it.each(files.map((f) => [f.split('/src/').pop(), f]))('%s signs nothing by hand (no createHmac)', (_name, file) => {
    // Signatures come from the standardwebhooks library only.
    expect(readFileSync(file, 'utf8')).not.toMatch(/createHmac/);
  });
});
