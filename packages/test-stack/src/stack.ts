import { loadDispatcherConfig, startDispatcher } from '@inferq/dispatcher';
import { dropPrefix, testPrefix } from '@inferq/testkit';
import type { RedisTargetInfo } from '@inferq/testkit';
import { startApiAndWorker } from './api-and-worker';

export interface Stack {
  url: string;
  prefix: string;
  /** The whole env the apps were started with (the target's Redis included). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real api and worker (sim backend), and the dispatcher when asked, over
 * real Redis under a prefix of their own that close() drops. `env` must give
 * API_KEYS; the sim backend's defaults are fast but not instant (20 ms to the
 * first token, 5 ms each after), so streams have something to stream.
 * `target` (a ready `RedisTestTarget`) puts it on the cluster instead of the
 * standalone Redis.
 */
export async function startStack(
  name: string,
  env: Record<string, string>,
  opts: { dispatcher?: boolean; target?: RedisTargetInfo } = {},
): Promise<Stack> {
  const prefix = testPrefix(name);
  const stack = await startApiAndWorker(prefix, {
    SIM_TTFT_MS: '20',
    SIM_TOKEN_MS: '5',
    ...opts.target?.env,
    ...env,
  });
  const dispatcher = opts.dispatcher ? await startDispatcher(loadDispatcherConfig(stack.env)) : undefined;
  return {
    url: stack.api.url,
    prefix,
    env: stack.env,
    async close() {
      await stack.close();
      await dispatcher?.close();
      await dropPrefix(prefix, opts.target);
    },
  };
}
