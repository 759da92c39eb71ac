import { UnavailableError, ValidationError } from '@inferq/core';
import { AllowList, WebhookUrlPolicy } from '@inferq/webhooks';
import type { ApiConfig } from './env';

/**
 * The submit-time egress check of a job's webhook URL (SPEC section 6, OWASP
 * API7): 400 on `webhook.url` naming why it is refused; 503 when DNS itself
 * is failing (not the caller's fault). The dispatcher checks again at connect time.
 */
export function webhookUrlChecker(config: Pick<ApiConfig, 'WEBHOOK_ALLOW_HOSTS'>, policy?: WebhookUrlPolicy) {
  const p = policy ?? new WebhookUrlPolicy({ allow: new AllowList(config.WEBHOOK_ALLOW_HOSTS) });
  return async (url: string): Promise<void> => {
    const verdict = await p.check(url);
    if (verdict.ok) return;
    if (verdict.kind === 'unavailable') throw new UnavailableError(`webhook.url: ${verdict.reason}, retry shortly`);
    throw new ValidationError(`webhook.url ${verdict.reason}`, [{ path: 'webhook.url', message: verdict.reason }]);
  };
}
