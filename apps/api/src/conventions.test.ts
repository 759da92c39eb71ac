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

it('keeps express out of the handlers, the pipeline and the route table', () => {
  const files = ['handlers', 'pipeline'].flatMap((d) =>
    readdirSync(join(__dirname, d))
      .filter((x) => x.endsWith('.ts'))
      .map((x) => join(__dirname, d, x)),
  );
  for (const f of [...files, join(__dirname, 'route.ts'), join(__dirname, 'routes.ts')]) {
    expect({ f, text: readFileSync(f, 'utf8') }).not.toMatchObject({ text: expect.stringMatching(/from 'express'/) });
  }
});
