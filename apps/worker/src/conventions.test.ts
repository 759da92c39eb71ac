import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/worker', {
  srcDir: __dirname,
  exports: pkg,
  // Job failures (JobError records) are decided in one place.
  errorModules: ['failure.ts'],
  // The worker never answers HTTP requests, and no model call leaves the backends package.
  imports: {
    '@inferq/backends': 'runtime',
    '@inferq/core': 'runtime',
    '@inferq/store': 'runtime',
    '@inferq/telemetry': 'runtime',
  },
});
