import { loadDispatcherConfig, startDispatcher } from '@inferq/dispatcher';
import { dropPrefix, testPrefix } from '@inferq/testkit';
import { startApiAndWorker } from './api-and-worker';

export interface Stack {
  url: string;
  prefix: string;
  close(): Promise<void>;
}

/**
 * A real api and worker (sim backend), and the dispatcher when asked, over
 * real Redis under a prefix of their own that close() drops. `env` must give
 * API_KEYS; the sim backend's defaults are fast but not instant (20 ms to the
 * first token, 5 ms each after), so streams have something to stream.
 */
export async function startStack(
  name: string,
  env: Record<string, string>,
  opts: { dispatcher?: boolean } = {},
): Promise<Stack> {
  const prefix = testPrefix(name);
  const stack = await startApiAndWorker(prefix, { SIM_TTFT_MS: '20', SIM_TOKEN_MS: '5', ...env });
  const dispatcher = opts.dispatcher ? await startDispatcher(loadDispatcherConfig(stack.env)) : undefined;
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
