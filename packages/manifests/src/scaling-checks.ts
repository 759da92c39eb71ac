import { z } from 'zod';
import { ModelsFile } from '@inferq/core';
import { ConfigMap, HorizontalPodAutoscaler, PodDisruptionBudget, ScaledObject } from './kinds';
import type { IDeployment, IHorizontalPodAutoscaler, IScaledObject } from './kinds';
import type { Manifest } from './load';
import { component, containerEnv, deployments, nameOf, ofKind, podLabels, selects } from './workloads';

export const POOL_LABEL = 'inferq.dev/pool';

/** The metadata KEDA's prometheus scaler needs (KEDA's CRD leaves trigger metadata a free string map). */
const PrometheusTrigger = z.object({
  serverAddress: z.url(),
  query: z.string().min(1),
  threshold: z.string().regex(/^\d+(\.\d+)?$/),
  activationThreshold: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
});

/** The KEDA query of a pool: the backlog the api exports, equal on every replica, hence max by (pool). */
export const poolQueuedQuery = (pool: string) => `max by (pool) (inferq_pool_queued_jobs{pool="${pool}"})`;

/** PDBs, the api's HPA, a ScaledObject per worker pool, and a worker Deployment for every pool a model names. */
export function scalingProblems(manifests: Manifest[]): string[] {
  const all = deployments(manifests);
  const hpas = ofKind<IHorizontalPodAutoscaler>(manifests, HorizontalPodAutoscaler.is);
  const scaled = ofKind<IScaledObject>(manifests, ScaledObject.is);
  const pdbs = ofKind(manifests, PodDisruptionBudget.is);
  const problems: string[] = [];
  for (const d of all) {
    if (!pdbs.some((p) => selects(p.spec?.selector?.matchLabels, podLabels(d)))) {
      problems.push(`Deployment ${nameOf(d)}: no PodDisruptionBudget selects its pods`);
    }
  }
  for (const p of pdbs) {
    if (!all.some((d) => selects(p.spec?.selector?.matchLabels, podLabels(d))))
      problems.push(`PDB ${nameOf(p)}: selects no pods`);
  }
  const targets = [
    ...hpas.map((h) => ({ by: `HPA ${nameOf(h)}`, name: h.spec?.scaleTargetRef.name ?? '' })),
    ...scaled.map((s) => ({ by: `ScaledObject ${nameOf(s)}`, name: s.spec.scaleTargetRef.name })),
  ];
  for (const t of targets) {
    const d = all.find((x) => nameOf(x) === t.name);
    if (!d) problems.push(`${t.by}: no Deployment ${t.name}`);
    else if (d.spec?.replicas !== undefined) problems.push(`Deployment ${t.name}: sets replicas, which ${t.by} owns`);
  }
  if (!hpas.some((h) => all.some((d) => nameOf(d) === h.spec?.scaleTargetRef.name && component(d) === 'api'))) {
    problems.push('no HorizontalPodAutoscaler scales the api');
  }
  problems.push(
    ...poolProblems(
      manifests,
      all.filter((d) => component(d) === 'worker'),
      scaled,
    ),
  );
  return problems;
}

function poolProblems(manifests: Manifest[], workers: IDeployment[], scaled: IScaledObject[]): string[] {
  const problems: string[] = [];
  const pools = new Map<string, IDeployment>();
  for (const d of workers) {
    const pool = podLabels(d)[POOL_LABEL] ?? '';
    const envPools = containerEnv(manifests, d).map((c) => c.env.WORKER_POOLS);
    if (envPools.some((p) => p !== pool))
      problems.push(`Deployment ${nameOf(d)}: WORKER_POOLS is not its ${POOL_LABEL} ${pool}`);
    if (pools.has(pool)) problems.push(`pool ${pool}: two worker Deployments`);
    pools.set(pool, d);
    const mine = scaled.filter((s) => s.spec.scaleTargetRef.name === nameOf(d));
    const queries = mine.flatMap((s) => s.spec.triggers.filter((t) => t.type === 'prometheus'));
    for (const t of queries) {
      const parsed = PrometheusTrigger.safeParse(t.metadata);
      if (!parsed.success) problems.push(`pool ${pool}: prometheus trigger: ${parsed.error.issues[0]?.message}`);
    }
    if (!queries.some((t) => t.metadata.query === poolQueuedQuery(pool))) {
      problems.push(`pool ${pool}: no ScaledObject scales ${nameOf(d)} on ${poolQueuedQuery(pool)}`);
    }
  }
  for (const pool of ['default', ...modelPools(manifests, problems)]) {
    if (!pools.has(pool)) problems.push(`pool ${pool}: models run there but no worker Deployment serves it`);
  }
  return problems;
}

/** Pools of the models.json files the ConfigMaps hold (each must be a valid MODELS_FILE). */
function modelPools(manifests: Manifest[], problems: string[]): string[] {
  return ofKind(manifests, ConfigMap.is).flatMap((cm) =>
    Object.entries(cm.data ?? {})
      .filter(([key]) => key.endsWith('.json'))
      .flatMap(([key, text]) => {
        const parsed = ModelsFile.safeParse(parseJson(text));
        if (parsed.success) return parsed.data.models.map((m) => m.pool);
        problems.push(`ConfigMap ${nameOf(cm)} ${key}: ${parsed.error.issues[0]?.message}`);
        return [];
      }),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return err instanceof Error ? err.message : 'not JSON';
  }
}
