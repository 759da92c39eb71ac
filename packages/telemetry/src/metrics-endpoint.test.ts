import { Counter } from 'prom-client';
import { BoundedLabel, createMetricsRegistry, metricsEndpoint } from './index';

describe('metricsEndpoint', () => {
  const registry = createMetricsRegistry();
  new Counter({ name: 'inferq_test_total', help: 'a test counter', registers: [registry] }).inc(3);

  it('is open without a METRICS_TOKEN, with the default process metrics under their standard names', async () => {
    const a = await metricsEndpoint(registry, undefined)(undefined);
    expect(a.status).toBe(200);
    expect(a.type).toContain('text/plain');
    expect(a.body).toContain('inferq_test_total 3');
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds'])
      expect(a.body).toMatch(new RegExp(`^${name} `, 'm'));
    expect(a.body).not.toMatch(/^inferq_(process|nodejs)_/m);
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const endpoint = metricsEndpoint(registry, 'the-token');
    for (const header of [undefined, 'Bearer wrong', 'Basic dGhlLXRva2Vu', 'the-token']) {
      const a = await endpoint(header);
      expect(a.status).toBe(401);
      expect(JSON.parse(a.body)).toMatchObject({ error: { code: 'unauthorized' } });
      expect(a.body).not.toContain('inferq_test_total');
    }
    expect((await endpoint('Bearer the-token')).status).toBe(200);
  });
});

it('caps the distinct values of a label', () => {
  const label = new BoundedLabel(2);
  expect(['a', 'b', 'c', 'a', 'd'].map((v) => label.value(v))).toEqual(['a', 'b', 'other', 'a', 'other']);
});
