import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/api', {
  srcDir: __dirname,
  exports: pkg,
  // Error bodies come from errorBody()/toErrorResponse() in @inferq/core only; the api never calls a model.
  imports: {
    '@inferq/core': 'runtime',
    '@inferq/store': 'runtime',
    '@inferq/telemetry': 'runtime',
    '@inferq/webhooks': 'runtime',
  },
});

it('keeps express out of the handlers', () => {
  const dir = join(__dirname, 'handlers');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/from 'express'/);
  }
});
