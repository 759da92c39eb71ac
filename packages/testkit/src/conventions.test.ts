import { describeConventions } from './conventions';
import * as pkg from './index';

describeConventions('@inferq/testkit', {
  srcDir: __dirname,
  exports: pkg,
  envModules: ['test-env.ts'],
  // The fake providers answer with the providers' own error bodies, on the wire.
  errorModules: ['fake-openai.ts', 'fake-anthropic.ts'],
  // Used by every package's tests, so it may import none of them.
  imports: {},
  // A test package: its Redis helpers (test prefixes, the local cluster) are what tests use.
  talksToRedis: true,
});
