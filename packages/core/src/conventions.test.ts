import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/core', {
  srcDir: __dirname,
  exports: pkg,
  errorModules: ['errors.ts'],
  // The base of everything: it imports no other inferq package.
  imports: {},
});
