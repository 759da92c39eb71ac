import { z } from 'zod';
import { parseEnv } from '@inferq/core';

/** The benchmark's configuration: the Redis every system under test shares. */
export const BenchEnv = z.object({
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
});

export function loadBenchConfig(env: Record<string, string | undefined>) {
  return { ...parseEnv(BenchEnv, env), quick: process.argv.includes('--quick') };
}
