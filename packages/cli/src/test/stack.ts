import { startStack as startTestStack } from '@inferq/test-stack';
import type { Stack } from '@inferq/test-stack';

export type { Stack };

export const TEST_KEY = 'cli_test_key_0123456789ab';
/** A tenant of its own for the batch test, so it can count exactly the jobs the batch created. */
export const BATCH_KEY = 'cli_batch_key_0123456789ab';

/** A real api and worker (sim backend) over real Redis, under a prefix of their own. */
export function startStack(name: string, env: Record<string, string> = {}): Promise<Stack> {
  return startTestStack(name, { API_KEYS: `acme:${TEST_KEY},batch:${BATCH_KEY}`, ...env });
}
