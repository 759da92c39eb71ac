import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/webhooks', {
  srcDir: __dirname,
  exports: pkg,
  imports: { '@inferq/core': 'runtime' },
});
