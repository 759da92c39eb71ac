import { BackendError } from './backend-error';
import { classifyProviderError, type ProviderErrorView } from './classify-error';
import { retryAfterMs } from './retry-after';

const view = (over: Partial<ProviderErrorView> = {}): ProviderErrorView => ({
  timeout: false,
  connection: false,
  ...over,
});
const headers = (h: Record<string, string>) => new Headers(h);

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 01 Jan 2030 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': 'Mon, 31 Dec 2029 00:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after-ms': '1234', 'retry-after': '9' }))).toBe(1234);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('classifyProviderError', () => {
  const classify = (v: ProviderErrorView, err: unknown = new Error('x')) => classifyProviderError('test', err, v);

  it.each([
    [429, 'provider_rate_limited', true],
    [408, 'provider_timeout', true],
    [401, 'provider_auth', false],
    [403, 'provider_auth', false],
    [400, 'provider_rejected', false],
    [404, 'provider_rejected', false],
    [422, 'provider_rejected', false],
    [500, 'provider_unavailable', true],
    [503, 'provider_unavailable', true],
    [529, 'provider_unavailable', true],
  ])('status %i -> %s', (status, code, retryable) => {
    expect(classify(view({ status }))).toMatchObject({ code, retryable, status });
  });

  it('keeps Retry-After on 503', () => {
    expect(classify(view({ status: 503, headers: headers({ 'retry-after': '7' }) })).retryAfterMs).toBe(7000);
  });

  it('reads errors sent inside a stream by their type', () => {
    expect(classify(view({ streamErrorType: 'overloaded_error' })).code).toBe('provider_unavailable');
    expect(classify(view({ streamErrorType: 'rate_limit_error' })).code).toBe('provider_rate_limited');
    expect(classify(view({ streamErrorType: 'invalid_request_error' })).code).toBe('provider_rejected');
    expect(classify(view({ streamErrorType: 'server_error' })).code).toBe('provider_unavailable');
  });

  it('finds socket failures down the cause chain', () => {
    const reset = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(classify(view(), reset).code).toBe('provider_unavailable');
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(classify(view({ connection: true }), refused).code).toBe('provider_unavailable');
    const slow = new TypeError('fetch failed', {
      cause: Object.assign(new Error('t'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
    });
    expect(classify(view({ connection: true }), slow).code).toBe('provider_timeout');
    expect(classify(view({ timeout: true })).code).toBe('provider_timeout');
  });

  it('calls anything else internal and retryable, and passes BackendErrors through', () => {
    expect(classify(view(), new RangeError('bug'))).toMatchObject({ code: 'internal', retryable: true });
    const own = new BackendError('unknown_model', 'no');
    expect(classify(view(), own)).toBe(own);
  });
});
