import { cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { ApiEnv } from '@inferq/api';
import { DashboardEnv } from '@inferq/dashboard';
import { DispatcherEnv } from '@inferq/dispatcher';
import { parseEnv } from '@inferq/core';
import { WorkerEnv } from '@inferq/worker';
import { checkDeployDir, component, containerEnv, deployments, manifestProblems, nameOf } from './index';
import type { Manifest } from './index';
import { Deployment, PodDisruptionBudget, ScaledObject, Service } from './kinds';
import type { IContainer } from './kinds';

const DIR = resolve(__dirname, '../../../deploy/k8s');

it('every manifest in deploy/k8s validates against its schema, and their references hold', () => {
  const { manifests, problems } = checkDeployDir(DIR);
  expect(problems).toEqual([]);
  // What the issue asks for is there: a worker Deployment per pool, each with its ScaledObject.
  const workers = deployments(manifests).filter((d) => component(d) === 'worker');
  expect(workers.map(nameOf).sort()).toEqual(['inferq-worker-default', 'inferq-worker-gpu-a100']);
  expect(manifests.filter((m) => ScaledObject.is(m.doc))).toHaveLength(2);
});

/** Each app's env schema; the ports its config names must be the container's. */
const APPS: Record<string, { schema: z.ZodType; port: (c: Record<string, unknown>) => unknown; portName: string }> = {
  api: { schema: ApiEnv, port: (c) => c.PORT, portName: 'http' },
  worker: { schema: WorkerEnv, port: (c) => c.METRICS_PORT, portName: 'metrics' },
  dispatcher: { schema: DispatcherEnv, port: (c) => c.METRICS_PORT, portName: 'metrics' },
  dashboard: { schema: DashboardEnv, port: (c) => c.DASHBOARD_PORT, portName: 'http' },
};

it('each app accepts the env its containers get, and listens on the port its probes use', () => {
  const { manifests } = checkDeployDir(DIR);
  for (const d of deployments(manifests)) {
    const app = APPS[component(d)];
    if (!app) throw new Error(`no app for Deployment ${nameOf(d)}`);
    for (const { name, env } of containerEnv(manifests, d)) {
      const config = parseEnv(app.schema, env) as Record<string, unknown>;
      const port = d.spec?.template.spec?.containers
        .find((c) => c.name === name)
        ?.ports?.find((p) => p.name === app.portName);
      expect({ deployment: nameOf(d), port: app.port(config) }).toEqual({
        deployment: nameOf(d),
        port: port?.containerPort,
      });
    }
  }
});

type Container = IContainer;
type Guard<T> = (v: unknown) => v is T;

/** The manifests without the document of that kind and name. */
const without =
  <T extends { metadata?: { name?: string } }>(is: Guard<T>, name: string) =>
  (m: Manifest[]) =>
    m.filter((x) => !(is(x.doc) && nameOf(x.doc) === name));

/** The manifests with `change` applied to the document of that kind and name. */
const changed =
  <T extends { metadata?: { name?: string } }>(is: Guard<T>, name: string, change: (doc: T) => void) =>
  (m: Manifest[]) => {
    for (const x of m) if (is(x.doc) && nameOf(x.doc) === name) change(x.doc);
    return m;
  };

const containersOf = (name: string, change: (c: Container) => void) =>
  changed(Deployment.is, name, (d) => d.spec?.template.spec?.containers.forEach(change));

/** A broken copy of the manifests must be caught: each case breaks one thing and names the problem. */
const BREAKS: Array<[string, (m: Manifest[]) => Manifest[], RegExp]> = [
  [
    'a pool without its ScaledObject',
    without(ScaledObject.is, 'inferq-worker-gpu-a100'),
    /pool gpu-a100: no ScaledObject/,
  ],
  [
    'a pool without its PDB',
    without(PodDisruptionBudget.is, 'inferq-worker-default'),
    /inferq-worker-default: no PodDisruptionBudget/,
  ],
  [
    'a probe on a port the container lacks',
    containersOf('inferq-api', (c) => c.readinessProbe?.httpGet && (c.readinessProbe.httpGet.port = 'web')),
    /readinessProbe port web is not a container port/,
  ],
  [
    'liveness on /readyz',
    containersOf(
      'inferq-worker-default',
      (c) => c.livenessProbe?.httpGet && (c.livenessProbe.httpGet.path = '/readyz'),
    ),
    /livenessProbe must GET \/healthz/,
  ],
  [
    'a port of the wrong type',
    containersOf('inferq-dashboard', (c) => (c.ports = [{ name: 'http', containerPort: 3001.5 }])),
    /containerPort must be integer/,
  ],
  [
    'a grace period shorter than the drain',
    changed(Deployment.is, 'inferq-worker-gpu-a100', (d) => {
      if (d.spec?.template.spec) d.spec.template.spec.terminationGracePeriodSeconds = 60;
    }),
    /terminationGracePeriodSeconds 60 < preStop 0 \+ drain 120/,
  ],
  [
    'a Service selecting no pods',
    changed(Service.is, 'inferq-api', (s) => s.spec && (s.spec.selector = { 'app.kubernetes.io/component': 'apl' })),
    /Service inferq-api: its selector matches no Deployment/,
  ],
  [
    'replicas beside an autoscaler',
    changed(Deployment.is, 'inferq-api', (d) => d.spec && (d.spec.replicas = 3)),
    /inferq-api: sets replicas, which HPA inferq-api owns/,
  ],
  [
    'a worker whose WORKER_POOLS is not its pool',
    containersOf('inferq-worker-default', (c) =>
      c.env?.forEach((e) => e.name === 'WORKER_POOLS' && (e.value = 'gpu-a100')),
    ),
    /WORKER_POOLS is not its inferq.dev\/pool default/,
  ],
  [
    'a kind without a schema',
    (m) => [...m, { file: 'x.yaml', doc: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } }],
    /v1 Pod p: no schema/,
  ],
];

it.each(BREAKS)('catches %s', (_case, breakIt, problem) => {
  const { manifests } = checkDeployDir(DIR);
  const problems = manifestProblems(breakIt(structuredClone(manifests)));
  expect(problems.join('\n')).toMatch(problem);
});

it('catches a manifest that kustomization.yaml does not list, and one it lists but lacks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inferq-k8s-'));
  try {
    cpSync(DIR, dir, { recursive: true });
    cpSync(join(dir, 'api.yaml'), join(dir, 'extra.yaml'));
    unlinkSync(join(dir, 'dashboard.yaml'));
    const problems = checkDeployDir(dir).problems.join('\n');
    expect(problems).toMatch(/extra.yaml: not listed in kustomization.yaml/);
    expect(problems).toMatch(/resource dashboard.yaml does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
