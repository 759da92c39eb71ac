import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/inferq', {
  srcDir: __dirname,
  exports: pkg,
  imports: {
    '@inferq/api': 'runtime',
    '@inferq/core': 'runtime',
    '@inferq/dashboard': 'runtime',
    '@inferq/dispatcher': 'runtime',
    '@inferq/worker': 'runtime',
  },
});
