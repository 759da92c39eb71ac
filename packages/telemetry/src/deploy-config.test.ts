import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createApiMetrics,
  createDispatcherMetrics,
  createMetricsRegistry,
  createWorkerMetrics,
  registerQueueDepth,
} from './index';

// The Grafana dashboard in deploy/ queries only metrics this package defines, so a rename breaks this test, not a graph.
const DASHBOARD = resolve(__dirname, '../../../deploy/grafana/dashboards/inferq.json');

it('queries only inferq_ metrics that exist', async () => {
  const registry = createMetricsRegistry();
  createApiMetrics(registry);
  createWorkerMetrics(registry);
  createDispatcherMetrics(registry);
  registerQueueDepth(registry, () => []);
  const defined = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));

  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Array<{ targets: Array<{ expr: string }> }>;
  };
  const used = new Set(
    dashboard.panels
      .flatMap((p) => p.targets.flatMap((t) => t.expr.match(/inferq_[a-z_]+/g) ?? []))
      .map((n) => n.replace(/_(bucket|count|sum)$/, '')),
  );
  expect(used.size).toBeGreaterThanOrEqual(8);
  for (const name of used) expect(defined).toContain(name);
});
