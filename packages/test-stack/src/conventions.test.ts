import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/test-stack', {
  srcDir: __dirname,
  exports: pkg,
  imports: {
    '@inferq/api': 'runtime',
    '@inferq/dispatcher': 'runtime',
    '@inferq/testkit': 'runtime',
    '@inferq/worker': 'runtime',
  },
  // A test package, like the testkit.
  talksToRedis: true,
});
