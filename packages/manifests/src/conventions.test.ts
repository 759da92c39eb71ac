import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/manifests', {
  srcDir: __dirname,
  exports: pkg,
  // Its own code reads core's model catalog schema only; its tests also read the apps' env schemas.
  imports: { '@inferq/core': 'runtime' },
});
