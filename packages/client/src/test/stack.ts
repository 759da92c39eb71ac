import { loadDispatcherConfig, startDispatcher } from '@inferq/dispatcher';
import { dropPrefix, testPrefix } from '@inferq/testkit';
// Test-only on both sides: the all-in-one app's tests start the api and worker the same way.
import { startApiAndWorker } from '../../../../apps/inferq/src/test/api-and-worker';

export const TEST_KEY = 'client_test_key_0123456789';

export interface Stack {
  url: string;
  prefix: string;
  close(): Promise<void>;
}

/** A real api and worker (sim backend) over real Redis, under a prefix of their own. */
export async function startStack(
  name: string,
  env: Record<string, string> = {},
  withDispatcher = false,
): Promise<Stack> {
  const prefix = testPrefix(name);
  const stack = await startApiAndWorker(prefix, {
    API_KEYS: `acme:${TEST_KEY}`,
    SIM_TTFT_MS: '20',
    SIM_TOKEN_MS: '5',
    ...env,
  });
  const dispatcher = withDispatcher ? await startDispatcher(loadDispatcherConfig(stack.env)) : undefined;
  return {
    url: stack.api.url,
    prefix,
    async close() {
      await stack.close();
      await dispatcher?.close();
      await dropPrefix(prefix);
    },
  };
}
