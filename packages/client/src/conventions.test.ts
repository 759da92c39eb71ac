import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/client', {
  srcDir: __dirname,
  exports: pkg,
  errorModules: ['errors.ts'],
  // Shipped to users: the API's types from core, never server code.
  imports: { '@inferq/core': 'types' },
});
