import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/dispatcher', {
  srcDir: __dirname,
  exports: pkg,
  imports: {
    '@inferq/core': 'runtime',
    '@inferq/store': 'runtime',
    '@inferq/telemetry': 'runtime',
    '@inferq/webhooks': 'runtime',
  },
});

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
const files = [...sources(__dirname), ...sources(join(__dirname, '../../../packages/webhooks/src'))];

it.each(files.map((f) => [f.split('/src/').pop(), f]))('%s signs nothing by hand (no createHmac)', (_name, file) => {
  // Signatures come from the standardwebhooks library only.
  expect(readFileSync(file, 'utf8')).not.toMatch(/createHmac/);
});
