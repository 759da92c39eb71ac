import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/store', {
  srcDir: __dirname,
  exports: pkg,
  imports: { '@inferq/core': 'runtime' },
  // The one owner of Redis: every other package reaches it through this one's classes.
  talksToRedis: true,
});
