import { ConfigMap, Deployment, Secret } from './kinds';
import type { IConfigMap, IDeployment, ISecret } from './kinds';
import type { Manifest } from './load';

export type Labels = Record<string, string>;

/** The documents of one kind, typed by kubernetes-models' guard. */
export function ofKind<T>(manifests: Manifest[], is: (v: unknown) => v is T): T[] {
  return manifests.map((m) => m.doc).filter(is);
}

export const nameOf = (o: { metadata?: { name?: string } }): string => o.metadata?.name ?? '(no name)';

/** True when every label of the selector is on the pod. */
export function selects(selector: Labels | undefined, labels: Labels | undefined): boolean {
  const wanted = Object.entries(selector ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => labels?.[k] === v);
}

export const podLabels = (d: IDeployment): Labels => d.spec?.template.metadata?.labels ?? {};
export const component = (d: IDeployment): string => podLabels(d)['app.kubernetes.io/component'] ?? '';

/** The env each container of a Deployment starts with: envFrom ConfigMaps and Secrets in order, then env. */
export function containerEnv(manifests: Manifest[], d: IDeployment): Array<{ name: string; env: Labels }> {
  const configMaps = ofKind<IConfigMap>(manifests, ConfigMap.is);
  const secrets = ofKind<ISecret>(manifests, Secret.is);
  return (d.spec?.template.spec?.containers ?? []).map((c) => {
    const env: Labels = {};
    for (const from of c.envFrom ?? []) {
      const cm = configMaps.find((m) => nameOf(m) === from.configMapRef?.name);
      const secret = secrets.find((s) => nameOf(s) === from.secretRef?.name);
      Object.assign(env, cm?.data, secret?.stringData, decode(secret?.data));
    }
    for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
    return { name: c.name, env };
  });
}

function decode(data: Labels | undefined): Labels {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
}

export const deployments = (manifests: Manifest[]): IDeployment[] => ofKind<IDeployment>(manifests, Deployment.is);
