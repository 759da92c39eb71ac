import { waitFor, type Behaviour } from '@inferq/testkit';
import type { BackendError } from '../backend-error';
import { failure, run, type ProviderUnderTest } from './provider-under-test';

/** One scripted failure: the fake's answers, then what each request rejects with, in order. */
export interface ClassificationCase {
  name: string;
  script: Behaviour[];
  expected: Array<Partial<BackendError>>;
  /** Run on a backend with this SDK deadline instead of the default one. */
  sdkTimeoutMs?: number;
  /** How many requests the fake saw, checked after waiting `settleMs`. */
  requests?: { count: number; settleMs?: number };
}

export function classificationCases(provider: ProviderUnderTest, cases: ClassificationCase[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const { fake, backend, make, req } = provider;
      fake.script(...c.script);
      const target = c.sdkTimeoutMs === undefined ? backend : make({ sdkTimeoutMs: c.sdkTimeoutMs });
      for (const expected of c.expected) expect(await failure(run(target, req()).result)).toMatchObject(expected);
      if (c.requests) {
        if (c.requests.settleMs) await new Promise((r) => setTimeout(r, c.requests!.settleMs));
        expect(fake.requests).toHaveLength(c.requests.count);
      }
    });
  }
}

/** Aborting through the caller's signal, before the first token and mid-stream. */
export function abortCases(provider: ProviderUnderTest, firstToken: string): void {
  it('rejects with the abort reason on a hanging request and the fake sees the abort', async () => {
    const { fake, backend, req } = provider;
    fake.script({ kind: 'hang' });
    const ac = new AbortController();
    const { result } = run(backend, req(), ac.signal);
    await fake.waitForRequests(1);
    const reason = new Error('canceled by user');
    const started = Date.now();
    ac.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(() => fake.requests[0].aborted || undefined, 2000);
  });

  it('rejects with the abort reason mid-stream', async () => {
    const { fake, backend, req } = provider;
    fake.script({ kind: 'slow', ttftMs: 0, tokenMs: 200 });
    const ac = new AbortController();
    const tokens: string[] = [];
    const result = backend.generate(req(), {
      signal: ac.signal,
      onToken: (tok) => {
        tokens.push(tok);
        if (tokens.length === 1) ac.abort('timeout');
      },
    });
    await expect(result).rejects.toBe('timeout');
    expect(tokens).toEqual([firstToken]);
    await waitFor(() => fake.requests[0].aborted || undefined, 2000);
  });
}
