import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dashboard from './index';
import * as telemetry from '@inferq/telemetry';

const TELEMETRY_SRC = join(__dirname, '../../../packages/telemetry/src');
const sources = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
const files = [...sources(__dirname), ...sources(TELEMETRY_SRC)];

describe('@inferq/dashboard and @inferq/telemetry conventions', () => {
  it('export exactly their public API', () => {
    expect(Object.keys(dashboard).sort()).toEqual([
      'BOARD_PATH',
      'DashboardEnv',
      'FLEET_PATH',
      'loadDashboardConfig',
      'startDashboard',
    ]);
    expect(Object.keys(telemetry).sort()).toEqual([
      'BoundedLabel',
      'METRIC_PREFIX',
      'QUEUE_STATES',
      'createApiMetrics',
      'createDispatcherMetrics',
      'createMetricsRegistry',
      'createWorkerMetrics',
      'metricsEndpoint',
      'registerQueueDepth',
      'startHealthServer',
      'unavailableAnswer',
    ]);
  });

  it.each(files.map((f) => [f.split('/').slice(-3).join('/'), f]))(
    '%s writes no error body by hand and reads no process.env',
    (name, file) => {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/\berror\s*:\s*\{|['"]error['"]\s*:/);
      if (!name.endsWith('/env.ts')) expect(text).not.toMatch(/process\.env/);
      expect(text.split('\n').length).toBeLessThanOrEqual(200);
    },
  );
});
