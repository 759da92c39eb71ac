import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { ApiEnv } from '@inferq/api';
import { parseEnv } from '@inferq/core';
import { DashboardEnv } from '@inferq/dashboard';
import { DispatcherEnv } from '@inferq/dispatcher';
import { WorkerEnv } from '@inferq/worker';
import { checkCompose } from './index';

const COMPOSE = resolve(__dirname, '../../../docker-compose.yml');
const SCHEMAS: Record<string, z.ZodType> = {
  api: ApiEnv,
  worker: WorkerEnv,
  dispatcher: DispatcherEnv,
  dashboard: DashboardEnv,
};

it('docker-compose.yml uses only known fields, and each app accepts its environment', () => {
  const { problems, apps } = checkCompose(COMPOSE);
  expect(problems).toEqual([]);
  expect(apps.map((a) => a.app).sort()).toEqual(expect.arrayContaining(['api', 'dashboard', 'dispatcher', 'worker']));
  for (const { app, env } of apps) {
    const schema = SCHEMAS[app];
    if (!schema) throw new Error(`no schema for ${app}`);
    expect(() => parseEnv(schema, env)).not.toThrow();
  }
});

it('the cluster profile starts three cluster-enabled nodes and joins them before the apps start', () => {
  const { compose } = checkCompose(COMPOSE);
  const services = compose?.services ?? {};
  const nodes = Object.entries(services).filter(([, s]) => s.command?.join(' ').includes('--cluster-enabled yes'));
  expect(nodes.map(([name]) => name)).toEqual(['redis-node-1', 'redis-node-2', 'redis-node-3']);
  for (const [, s] of nodes) expect(s.profiles).toEqual(['cluster']);
  const init = services['redis-cluster-init'];
  expect(init?.command?.join(' ')).toMatch(/redis-cli --cluster create .* --cluster-replicas 0 --cluster-yes/);
  expect(Object.keys(init?.depends_on ?? {})).toEqual(['redis-node-1', 'redis-node-2', 'redis-node-3']);
  for (const app of ['api', 'worker', 'dispatcher', 'dashboard']) {
    expect(services[app]?.depends_on).toMatchObject({ 'redis-cluster-init': { required: false } });
    expect(Object.keys(services[app]?.environment ?? {})).toContain('REDIS_CLUSTER_NODES');
  }
});

it('catches a misspelled field and a dependency on a missing service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inferq-compose-'));
  try {
    const broken = readFileSync(COMPOSE, 'utf8')
      .replace('stop_grace_period: 35s', 'stop_grace_periods: 35s')
      .replace(
        /condition: service_healthy/,
        'condition: service_healthy\n    rediss:\n      condition: service_started',
      );
    writeFileSync(join(dir, 'docker-compose.yml'), broken);
    const { problems } = checkCompose(join(dir, 'docker-compose.yml'));
    expect(problems.join('\n')).toMatch(/stop_grace_periods/);
    const fixed = broken.replace('stop_grace_periods: 35s', 'stop_grace_period: 35s');
    writeFileSync(join(dir, 'docker-compose.yml'), fixed);
    expect(checkCompose(join(dir, 'docker-compose.yml')).problems.join('\n')).toMatch(
      /depends on unknown service rediss/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
