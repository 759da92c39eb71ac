import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/cli', {
  srcDir: __dirname,
  exports: pkg,
  // The CLI speaks to inferq through the client SDK only, like any user.
  imports: { '@inferq/client': 'runtime' },
});
