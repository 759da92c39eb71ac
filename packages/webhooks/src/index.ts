export { AllowList, allowEntryProblem, blockedAddressReason } from './address-policy';
export { WebhookUrlPolicy, systemResolve } from './url-policy';
export type { ResolveHost, ResolvedAddress, UrlPolicyOptions, UrlVerdict } from './url-policy';
export { WebhookEgress } from './egress';
export type { EgressOptions, EgressResult } from './egress';
export { signWebhook, verifyWebhook } from './signing';
export type { SignedHeaders } from './signing';
export { parseRetryAfterMs } from './retry-after';
