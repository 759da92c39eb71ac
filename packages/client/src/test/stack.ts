import { startStack as startTestStack } from '@inferq/test-stack';
import type { Stack } from '@inferq/test-stack';

export type { Stack };

export const TEST_KEY = 'client_test_key_0123456789';

/** A real api and worker (sim backend), and the dispatcher when asked, with the client tests' key. */
export function startStack(name: string, env: Record<string, string> = {}, withDispatcher = false): Promise<Stack> {
  return startTestStack(name, { API_KEYS: `acme:${TEST_KEY}`, ...env }, { dispatcher: withDispatcher });
}
