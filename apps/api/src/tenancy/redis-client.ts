import type { createRedis } from '@inferq/store';

/** The ioredis client type, without a direct ioredis dependency of the api. */
export type Redis = ReturnType<typeof createRedis>;
