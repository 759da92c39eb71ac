import { Service, ServiceMonitor } from './kinds';
import type { IDeployment, IService } from './kinds';
import type { Manifest } from './load';
import { deployments, nameOf, ofKind, podLabels, selects } from './workloads';

const containerPorts = (d: IDeployment) => (d.spec?.template.spec?.containers ?? []).flatMap((c) => c.ports ?? []);

/** Services select Deployments' pods on ports they have; the ServiceMonitor selects Services on ports they name. */
export function serviceProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const services = ofKind<IService>(manifests, Service.is);
  for (const s of services) {
    const where = `Service ${nameOf(s)}`;
    const targets = deployments(manifests).filter((d) => selects(s.spec?.selector, podLabels(d)));
    if (targets.length === 0) problems.push(`${where}: its selector matches no Deployment's pods`);
    for (const p of s.spec?.ports ?? []) {
      const target = p.targetPort ?? p.port;
      for (const d of targets) {
        const has = containerPorts(d).some((c) => c.name === target || c.containerPort === target);
        if (!has)
          problems.push(`${where}: port ${String(p.name)} targets ${String(target)}, not a port of ${nameOf(d)}`);
      }
    }
  }
  for (const m of ofKind(manifests, ServiceMonitor.is)) {
    const where = `ServiceMonitor ${nameOf(m)}`;
    const selected = services.filter((s) => selects(m.spec.selector.matchLabels, s.metadata?.labels));
    if (selected.length === 0) problems.push(`${where}: its selector matches no Service`);
    for (const e of m.spec.endpoints ?? []) {
      if (!selected.some((s) => (s.spec?.ports ?? []).some((p) => p.name === e.port))) {
        problems.push(`${where}: endpoint port ${String(e.port)} is on none of its Services`);
      }
    }
  }
  return problems;
}
