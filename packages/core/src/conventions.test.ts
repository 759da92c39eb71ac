import { describeConventions } from '@inferq/testkit';
import * as pkg from './index';

describeConventions('@inferq/core', {
  srcDir: __dirname,
  exports: pkg,
  // openai-error.ts renders the same error mapping in OpenAI's shape (SPEC section 10).
  errorModules: ['errors.ts', 'openai-error.ts'],
  // The base of everything: it imports no other inferq package.
  imports: {},
});
