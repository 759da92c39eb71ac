import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createApiMetrics,
  createDispatcherMetrics,
  createMetricsRegistry,
  createWorkerMetrics,
  registerPoolGauges,
  registerQueueDepth,
} from './index';

// The Grafana dashboard in deploy/ queries only metrics this package defines (inferq's own and the standard
// process_/nodejs_ ones), so a rename breaks this test, not a graph.
const DASHBOARD = resolve(__dirname, '../../../deploy/grafana/dashboards/inferq.json');

it('queries only metrics that exist', async () => {
  const registry = createMetricsRegistry();
  createApiMetrics(registry);
  createWorkerMetrics(registry);
  createDispatcherMetrics(registry);
  registerQueueDepth(registry, () => []);
  registerPoolGauges(registry, async () => []);
  const defined = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));

  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Array<{ targets: Array<{ expr: string }> }>;
  };
  const used = new Set(
    dashboard.panels
      .flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\b(?:inferq|process|nodejs)_[a-z0-9_]+/g) ?? []))
      .map((n) => n.replace(/_(bucket|count|sum)$/, '')),
  );
  expect(used.size).toBeGreaterThanOrEqual(8);
  expect([...used].filter((n) => !n.startsWith('inferq_'))).toEqual(
    expect.arrayContaining(['process_cpu_seconds_total', 'process_resident_memory_bytes']),
  );
  for (const name of used) expect(defined).toContain(name);
  // The fair scheduler's panels (SPEC section 9): backlog by pool and priority, oldest wait, tokens per tenant.
  for (const name of FAIR_SHARE_METRICS) expect(used).toContain(name);
});

const FAIR_SHARE_METRICS = [
  'inferq_pool_queued_jobs',
  'inferq_pool_oldest_queued_seconds',
  'inferq_tenant_tokens_served_total',
];

it('graphs the fair-share metrics by the labels operators compare', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Array<{ targets: Array<{ expr: string }> }>;
  };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr.replace(/\s+/g, '')));
  const graphs = (metric: string, by: RegExp) => exprs.some((e) => e.includes(metric) && by.test(e));
  expect(graphs('inferq_pool_queued_jobs', /by\(pool,priority\)/)).toBe(true);
  expect(graphs('inferq_pool_oldest_queued_seconds', /by\(pool\)/)).toBe(true);
  expect(graphs('rate(inferq_tenant_tokens_served_total[5m])', /by\([^)]*tenant[^)]*\)/)).toBe(true);
});
