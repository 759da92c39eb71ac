import { z } from 'zod';
import { LIMITS } from './limits';
import { safeText } from './text';

export const Role = z.enum(['system', 'user', 'assistant']);
export type Role = z.infer<typeof Role>;

export const Message = z.strictObject({
  role: Role,
  content: safeText(LIMITS.messageChars),
});
export type Message = z.infer<typeof Message>;

export const MessagesInput = z.strictObject({
  messages: z.array(Message).min(1).max(LIMITS.messages),
});
export const PromptInput = z.strictObject({
  prompt: safeText(LIMITS.promptChars).min(1),
});
export const JobInput = z.union([MessagesInput, PromptInput]);
export type JobInput = z.infer<typeof JobInput>;

export const JobParams = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.number().int().min(1).max(LIMITS.maxTokens).optional(),
  stop: z
    .union([safeText(LIMITS.stopChars).min(1), z.array(safeText(LIMITS.stopChars).min(1)).max(LIMITS.stopSequences)])
    .optional(),
  seed: z.number().int().optional(),
});
export type JobParams = z.infer<typeof JobParams>;

export const Priority = z.enum(['high', 'normal', 'low']);
export type Priority = z.infer<typeof Priority>;

export const WebhookEventName = z.enum(['running', 'succeeded', 'failed', 'canceled']);
export type WebhookEventName = z.infer<typeof WebhookEventName>;

export const WebhookRequest = z.strictObject({
  url: z
    .string()
    .max(LIMITS.webhookUrlChars)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http or https URL' }),
  events: z.array(WebhookEventName).min(1).max(4).optional(),
});
export type WebhookRequest = z.infer<typeof WebhookRequest>;

const MetadataValue = z.union([safeText(LIMITS.metadataValueChars), z.number(), z.boolean(), z.null()]);
export const Metadata = z
  .record(z.string().min(1).max(LIMITS.metadataKeyChars), MetadataValue)
  .refine((m) => Object.keys(m).length <= LIMITS.metadataKeys, {
    message: `at most ${LIMITS.metadataKeys} keys`,
  });
export type Metadata = z.infer<typeof Metadata>;

export const ModelId = z
  .string()
  .max(LIMITS.modelIdChars)
  .regex(/^[a-z0-9_-]+\/[A-Za-z0-9._:@/-]+$/, 'must look like provider/name');

/** The body of POST /v1/jobs. Only model and input are required. */
export const JobRequest = z.strictObject({
  model: ModelId,
  input: JobInput,
  params: JobParams.optional(),
  priority: Priority.default('normal'),
  timeout_s: z.number().int().min(1).max(LIMITS.timeoutS).default(600),
  max_attempts: z.number().int().min(1).max(LIMITS.maxAttempts).default(3),
  /** How long the job may wait to start (s); past it, still queued, it fails `deadline_exceeded`. */
  deadline_s: z.number().int().min(1).max(LIMITS.deadlineS).optional(),
  webhook: WebhookRequest.optional(),
  metadata: Metadata.optional(),
  cache: z.boolean().default(false),
});
/** What the caller may send. */
export type JobRequestInput = z.input<typeof JobRequest>;
/** What the server works with, defaults applied. */
export type JobRequest = z.output<typeof JobRequest>;

/** The messages of either input form, so backends see one shape. */
export function toMessages(input: JobInput): Message[] {
  return 'messages' in input ? input.messages : [{ role: 'user', content: input.prompt }];
}
