/** MAX_BODY_BYTES when unset: room for a long-context prompt (~2M tokens of English). */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Input caps, documented in the root README. Sizes are in characters. The
 * message and prompt caps here are those of the default body limit; a
 * deployment's own follow from its MAX_BODY_BYTES (payloadLimits()).
 */
export const LIMITS = {
  messages: 1000,
  messageChars: DEFAULT_MAX_BODY_BYTES,
  promptChars: DEFAULT_MAX_BODY_BYTES,
  stopSequences: 4,
  stopChars: 64,
  metadataKeys: 16,
  metadataKeyChars: 64,
  metadataValueChars: 512,
  modelIdChars: 200,
  webhookUrlChars: 2048,
  maxTokens: 1_000_000,
  timeoutS: 3600,
  maxAttempts: 10,
  /** deadline_s: how long a job may wait to start (s). */
  deadlineS: 86_400,
} as const;
