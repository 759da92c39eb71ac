import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/store', {
  srcDir: __dirname,
  exports: pkg,
  imports: { '@inferq/core': 'runtime' },
});
