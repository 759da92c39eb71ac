import { dirname } from 'node:path';
import { ConfigMap, Secret } from './kinds';
import type { IContainer, IDeployment } from './kinds';
import type { Manifest } from './load';
import { component, containerEnv, deployments, nameOf, ofKind, podLabels, selects } from './workloads';

/**
 * Seconds each process may take to drain after SIGTERM, beside a preStop
 * (api: DRAIN_TIMEOUT_MS in apps/api/src/start-api.ts; dashboard: its
 * DRAIN_TIMEOUT_MS; dispatcher: a webhook POST's 10 s timeout plus a 5 s DNS
 * lookup). Workers take WORKER_SHUTDOWN_GRACE_MS from their env.
 */
const DRAIN_SECONDS: Record<string, number> = { api: 10, dashboard: 5, dispatcher: 15 };
/** Closing Redis connections and the exit itself (s). */
const CLOSE_MARGIN_SECONDS = 5;

/** Labels, probes, references and the termination budget of every Deployment. */
export function podProblems(manifests: Manifest[]): string[] {
  return deployments(manifests).flatMap((d) => {
    const where = `Deployment ${nameOf(d)}`;
    const problems: string[] = [];
    if (!selects(d.spec?.selector.matchLabels, podLabels(d)))
      problems.push(`${where}: selector does not match its pods`);
    if (!component(d)) problems.push(`${where}: pods lack app.kubernetes.io/component`);
    for (const c of d.spec?.template.spec?.containers ?? [])
      problems.push(...containerProblems(`${where}/${c.name}`, c));
    problems.push(...referenceProblems(manifests, d), ...budgetProblems(manifests, d));
    return problems;
  });
}

function containerProblems(where: string, c: IContainer): string[] {
  const problems: string[] = [];
  const ports = c.ports ?? [];
  const probes = { startupProbe: '/healthz', livenessProbe: '/healthz', readinessProbe: '/readyz' } as const;
  for (const [probe, path] of Object.entries(probes) as Array<[keyof typeof probes, string]>) {
    const get = c[probe]?.httpGet;
    if (!get) {
      problems.push(`${where}: no ${probe} over HTTP`);
      continue;
    }
    if (get.path !== path) problems.push(`${where}: ${probe} must GET ${path}, not ${String(get.path)}`);
    const known = ports.some((p) => p.name === get.port || p.containerPort === get.port);
    if (!known) problems.push(`${where}: ${probe} port ${String(get.port)} is not a container port`);
  }
  if (!c.resources?.requests?.cpu) problems.push(`${where}: no CPU request (the schedulers and the HPA need one)`);
  return problems;
}

function referenceProblems(manifests: Manifest[], d: IDeployment): string[] {
  const where = `Deployment ${nameOf(d)}`;
  const problems: string[] = [];
  const configMaps = new Set(ofKind(manifests, ConfigMap.is).map(nameOf));
  const secrets = new Set(ofKind(manifests, Secret.is).map(nameOf));
  const pod = d.spec?.template.spec;
  for (const v of pod?.volumes ?? []) {
    if (v.configMap && !configMaps.has(v.configMap.name ?? ''))
      problems.push(`${where}: no ConfigMap ${v.configMap.name}`);
  }
  const volumes = new Set((pod?.volumes ?? []).map((v) => v.name));
  for (const c of pod?.containers ?? []) {
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef && !configMaps.has(f.configMapRef.name ?? ''))
        problems.push(`${where}: no ConfigMap ${f.configMapRef.name}`);
      if (f.secretRef && !secrets.has(f.secretRef.name ?? '')) problems.push(`${where}: no Secret ${f.secretRef.name}`);
    }
    for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${where}: no volume ${m.name}`);
  }
  for (const { name, env } of containerEnv(manifests, d)) {
    const mounts = pod?.containers.find((c) => c.name === name)?.volumeMounts ?? [];
    const file = env.MODELS_FILE;
    if (file && !mounts.some((m) => m.mountPath === dirname(file))) {
      problems.push(`${where}/${name}: MODELS_FILE ${file} is in no mounted volume`);
    }
  }
  return problems;
}

/** terminationGracePeriodSeconds must cover the preStop sleep, the drain and closing. */
function budgetProblems(manifests: Manifest[], d: IDeployment): string[] {
  const grace = d.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
  return containerEnv(manifests, d).flatMap(({ name, env }) => {
    const c = d.spec?.template.spec?.containers.find((x) => x.name === name);
    const command = c?.lifecycle?.preStop?.exec?.command ?? [];
    const preStop = command[0] === 'sleep' ? Number(command[1]) : 0;
    const drain =
      component(d) === 'worker' ? Number(env.WORKER_SHUTDOWN_GRACE_MS ?? 25_000) / 1000 : DRAIN_SECONDS[component(d)];
    if (drain === undefined) return [`Deployment ${nameOf(d)}: no drain time known for component ${component(d)}`];
    const needed = preStop + drain + CLOSE_MARGIN_SECONDS;
    return grace >= needed
      ? []
      : [
          `Deployment ${nameOf(d)}: terminationGracePeriodSeconds ${grace} < preStop ${preStop} + drain ${drain} + ${CLOSE_MARGIN_SECONDS} s`,
        ];
  });
}
