import { readdirSync } from 'node:fs';
import { testRedisUrl } from '@inferq/testkit';
import { LUA_DIR, luaScript } from './lua-files';
import { createRedis } from './redis';

// SCRIPT LOAD compiles without running (no keys touched): a syntax slip in any
// script, or in the header comment around it, fails here rather than at its first call.
const redis = createRedis(testRedisUrl(), 'blocking');
afterAll(() => redis.disconnect());

const names = readdirSync(LUA_DIR)
  .filter((f) => f.endsWith('.lua'))
  .map((f) => f.replace(/\.lua$/, ''));

it.each(names)('lua/%s.lua compiles on Redis', async (name) => {
  await expect(redis.script('LOAD', luaScript(name))).resolves.toMatch(/^[0-9a-f]{40}$/);
});
