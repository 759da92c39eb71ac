import { z } from 'zod';
import { BackendKind } from './models';

/**
 * The answers of the api's routes that are not job records (those are in
 * job-record.schema.ts). The OpenAPI document shows them, the handlers are
 * typed by them, the client's types are theirs, and the api's tests parse
 * real answers with them, so they cannot go stale.
 */

/**
 * One model of GET /v1/models, in OpenAI's shape (SPEC section 10) with
 * inferq's backend and pool: `created` in Unix seconds, `owned_by` the
 * provider part of the id.
 */
export const Model = z.object({
  id: z.string(),
  object: z.literal('model'),
  created: z.number().int(),
  owned_by: z.string(),
  backend: BackendKind,
  pool: z.string(),
});
export type Model = z.infer<typeof Model>;
/** GET /v1/models, in OpenAI's list shape. */
export const ModelList = z.object({ object: z.literal('list'), data: z.array(Model) });
export type ModelList = z.infer<typeof ModelList>;

export const HealthStatus = z.object({ status: z.literal('ok') });
export type HealthStatus = z.infer<typeof HealthStatus>;
export const ReadyStatus = z.object({ status: z.literal('ready') });
export type ReadyStatus = z.infer<typeof ReadyStatus>;

/** GET /v1/webhooks/secret. */
export const WebhookSecret = z.object({ secret: z.string().startsWith('whsec_') });
export type WebhookSecret = z.infer<typeof WebhookSecret>;
/** POST /v1/webhooks/secret/rotate: the old secret also signs until `previous_valid_until`. */
export const RotatedSecret = WebhookSecret.extend({ previous_valid_until: z.string() });
export type RotatedSecret = z.infer<typeof RotatedSecret>;
/** POST /v1/jobs/{id}/webhook/redeliver. */
export const RedeliveryAccepted = z.object({ id: z.string(), type: z.string(), webhook_id: z.string() });
export type RedeliveryAccepted = z.infer<typeof RedeliveryAccepted>;

/** One row of GET /v1/usage: a UTC day and a model. */
export const UsageRow = z.object({
  date: z.string(),
  model: z.string(),
  jobs: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  /** Only for models with a `price` in MODELS_FILE. */
  estimated_cost_usd: z.number().optional(),
});
export type UsageRow = z.infer<typeof UsageRow>;
export const UsageReport = z.object({ data: z.array(UsageRow) });
export type UsageReport = z.infer<typeof UsageReport>;

/** An API key as listed: never the key itself. */
export const ApiKeyInfo = z.object({ id: z.string(), tenant: z.string(), created_at: z.string() });
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;
/** POST /v1/admin/keys: the key, shown this once. */
export const ApiKeyCreated = ApiKeyInfo.extend({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;
export const ApiKeyList = z.object({ data: z.array(ApiKeyInfo) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;
