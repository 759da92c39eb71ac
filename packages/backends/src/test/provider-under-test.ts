import type { ResolvedModel } from '@inferq/core';
import type { FakeProvider } from '@inferq/testkit';
import { BackendError } from '../backend-error';
import type { Backend, GenerateRequest } from '../backend.types';
import { createBackendFactory, type BackendsConfig } from '../backend-factory';

/** Both providers' tests: the config around one provider's settings, everything else off. */
export const backendsConfig = (
  provider: Pick<BackendsConfig, 'openai'> | Pick<BackendsConfig, 'anthropic'>,
  over: Partial<BackendsConfig> = {},
): BackendsConfig => ({ openai: {}, anthropic: {}, sim: { ttftMs: 0, tokenMs: 0 }, secrets: {}, ...provider, ...over });

export function run(backend: Backend, r: GenerateRequest, signal = new AbortController().signal) {
  const tokens: string[] = [];
  const result = backend.generate(r, { signal, onToken: (t) => tokens.push(t) });
  return { tokens, result };
}

export async function failure(p: Promise<unknown>): Promise<BackendError> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  return err as BackendError;
}

/** One provider's fake and a backend of `model` over it; `fake` and `backend` are set in beforeAll. */
export interface ProviderUnderTest {
  readonly fake: FakeProvider;
  readonly backend: Backend;
  /** A backend of the same model with a changed config. */
  readonly make: (over: Partial<BackendsConfig>) => Backend;
  readonly req: () => GenerateRequest;
}

/** Starts the fake before the file's tests, resets it after each and closes it after the last. */
export function providerUnderTest(opts: {
  start: () => Promise<FakeProvider>;
  config: (url: string, over?: Partial<BackendsConfig>) => BackendsConfig;
  model: ResolvedModel;
  req: () => GenerateRequest;
}): ProviderUnderTest {
  let fake: FakeProvider | undefined;
  let backend: Backend | undefined;
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the provider is used before beforeAll started it');
    return v;
  };
  const make = (over: Partial<BackendsConfig>) =>
    createBackendFactory(opts.config(started(fake).url, over))(opts.model);
  beforeAll(async () => {
    fake = await opts.start();
    backend = make({});
  });
  afterEach(() => started(fake).reset());
  afterAll(() => started(fake).close());
  return {
    get fake() {
      return started(fake);
    },
    get backend() {
      return started(backend);
    },
    make,
    req: opts.req,
  };
}
