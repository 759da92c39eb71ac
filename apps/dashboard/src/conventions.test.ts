import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/dashboard', {
  srcDir: __dirname,
  exports: pkg,
  imports: { '@inferq/core': 'runtime', '@inferq/store': 'runtime', '@inferq/telemetry': 'runtime' },
});

const TELEMETRY_SRC = join(__dirname, '../../../packages/telemetry/src');
const sources = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));

it.each([...sources(__dirname), ...sources(TELEMETRY_SRC)].map((f) => [f.split('/').slice(-3).join('/'), f]))(
  '%s stays under 200 lines',
  (_name, file) => {
    expect(readFileSync(file, 'utf8').split('\n').length).toBeLessThanOrEqual(200);
  },
);
