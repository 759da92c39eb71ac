import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conventionOffences } from './conventions';

// The checks behind every package's conventions test, on a package that breaks each of them.
const src = mkdtempSync(join(tmpdir(), 'inferq-conventions-'));
const files: Record<string, string> = {
  'env.ts': 'export const port = process.env.PORT;',
  'errors.ts': "export const body = { error: { code: 'x' } };",
  'handler.ts': "import { x } from '@inferq/core';\nexport const answer = { error: { code: 'by hand' } };",
  'reads-env.ts': 'export const home = process.env.HOME;',
  'client.ts': "import {\n  InferqClient,\n} from '@inferq/client';\nimport type { Job } from '@inferq/store';",
  'deep.ts': "export { y } from '@inferq/core/src/keys';",
  'quoted.ts': 'export const wire = { "error": 1 };',
  'test/helper.ts': 'export const fine = process.env.ANY;',
  'thing.test.ts': 'export const alsoFine = { error: { code: 1 } };',
  'redis.ts': "import { Redis } from 'ioredis';\nimport { Queue, type RedisConnection } from 'bullmq';",
  'test/redis.test.ts': "import type {\n  Cluster,\n} from 'ioredis';\nconst r = require('redis');",
  'queue.ts': "import { Queue, Worker } from 'bullmq';\nimport type { ConnectionOptions as C } from 'bullmq';",
};
beforeAll(() => {
  mkdirSync(join(src, 'test'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(src, name), text);
});
afterAll(() => rmSync(src, { recursive: true, force: true }));

it('finds error literals, environment reads and imports the rules do not allow, not in tests', () => {
  const found = conventionOffences({
    srcDir: src,
    errorModules: ['errors.ts'],
    imports: { '@inferq/core': 'types', '@inferq/store': 'types' },
  });
  expect(found.errorLiterals.sort()).toEqual(['handler.ts', 'quoted.ts']);
  expect(found.envReads).toEqual(['reads-env.ts']);
  expect(found.imports.sort()).toEqual([
    'client.ts: @inferq/client',
    'deep.ts: @inferq/core/src/keys',
    'handler.ts: @inferq/core (types only)',
  ]);
  expect(found.redis.sort()).toEqual([
    'queue.ts: bullmq ConnectionOptions',
    'redis.ts: bullmq RedisConnection',
    'redis.ts: ioredis',
    'test/redis.test.ts: ioredis',
    'test/redis.test.ts: redis',
  ]);
});

it("finds a Redis client in the package.json's dependencies", () => {
  const pkg = mkdtempSync(join(tmpdir(), 'inferq-conventions-pkg-'));
  mkdirSync(join(pkg, 'src'));
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ dependencies: { bullmq: '1', ioredis: '1' } }));
  try {
    expect(conventionOffences({ srcDir: join(pkg, 'src'), imports: {} }).redis).toEqual(['package.json: ioredis']);
  } finally {
    rmSync(pkg, { recursive: true, force: true });
  }
});

it('finds nothing where the rules allow it', () => {
  const found = conventionOffences({
    srcDir: src,
    envModules: ['env.ts', 'reads-env.ts'],
    errorModules: ['errors.ts', 'handler.ts', 'quoted.ts'],
    imports: {
      '@inferq/core': 'runtime',
      '@inferq/core/src/keys': 'runtime',
      '@inferq/client': 'runtime',
      '@inferq/store': 'types',
    },
    talksToRedis: true,
  });
  expect(found).toEqual({ errorLiterals: [], envReads: [], imports: [], redis: [] });
});
