export { startFakeOpenAI } from './fake-openai';
export { startFakeAnthropic } from './fake-anthropic';
export type { Behaviour, FakeProvider, FakeProviderOptions, RecordedRequest } from './fake-provider.types';
export { freePort } from './free-port';
export { splitTokens, countWords } from './reply-plan';
export { testRedisUrl, testPrefix, dropPrefix, waitFor } from './test-redis';
export { startRedisCluster, stopRedisClusterAt } from './redis-cluster';
export type { ClusterNode, ClusterOptions, LocalRedisCluster } from './redis-cluster';
export { startSharedCluster, sharedClusterSeeds } from './shared-cluster';
export type { SharedClusterStart } from './shared-cluster';
export { describeOnTargets, redisTargets, TEST_CLUSTER_DIR_VAR, TEST_CLUSTER_SKIP_VAR } from './redis-targets';
export type { RedisTestTarget } from './redis-targets';
export type { RedisTargetInfo } from './redis-target-info';
export { parseSse } from './parse-sse';
export type { SseMessage } from './parse-sse';
export { spawnApp } from './spawn-app';
export type { SpawnedApp } from './spawn-app';
export { startWebhookReceiver } from './webhook-receiver';
export type { ReceivedWebhook, ReceiverReply, WebhookReceiver } from './webhook-receiver';
export { openSse } from './sse-client';
export type { SseStream, TimedSseMessage } from './sse-client';
export { promValue } from './prom-text';
export { appPid } from './app-pid';
export { spawnTestApi } from './spawn-test-api';
export type { SpawnedTestApi } from './spawn-test-api';
export { testEnv } from './test-env';
export {
  BROWSER_SKIP_MARK,
  CHROMIUM_ARGS,
  CHROMIUM_INSTALL,
  CHROMIUM_PATH_VAR,
  DEFAULT_CHROMIUM_PATH,
  chromiumGate,
  chromiumPath,
  describeWithChromium,
} from './browser';
export type { ChromiumGate } from './browser';
export { conventionOffences, describeConventions } from './conventions';
export type { ConventionOffences, ImportUse, PackageConventions } from './conventions';
export { parseMonitorLine, startMonitor, startMonitorAt } from './redis-monitor';
export type { MonitorLine, RedisMonitor } from './redis-monitor';
