// Both files are test-only: the cli's stack is the client's with the cli's own keys.
import { startStack as startClientStack } from '../../../client/src/test/stack';
import type { Stack } from '../../../client/src/test/stack';

export type { Stack };

export const TEST_KEY = 'cli_test_key_0123456789ab';
/** A tenant of its own for the batch test, so it can count exactly the jobs the batch created. */
export const BATCH_KEY = 'cli_batch_key_0123456789ab';

/** A real api and worker (sim backend) over real Redis, under a prefix of their own. */
export function startStack(name: string, env: Record<string, string> = {}): Promise<Stack> {
  return startClientStack(name, { API_KEYS: `acme:${TEST_KEY},batch:${BATCH_KEY}`, ...env });
}
