/** Input caps, documented in the root README. Sizes are in characters. */
export const LIMITS = {
  messages: 1000,
  messageChars: 200_000,
  promptChars: 200_000,
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
