import { loadDeployDir } from './load';
import type { Manifest } from './load';
import { podProblems } from './pod-checks';
import { scalingProblems } from './scaling-checks';
import { schemaProblems } from './schema-check';
import { serviceProblems } from './service-checks';

/** Every check over a list of manifests: schemas first, then the cross-references between them. */
export function manifestProblems(manifests: Manifest[]): string[] {
  return [
    ...schemaProblems(manifests),
    ...podProblems(manifests),
    ...serviceProblems(manifests),
    ...scalingProblems(manifests),
  ];
}

/** A kustomize directory, checked whole; an empty list means it validates. */
export function checkDeployDir(dir: string): { manifests: Manifest[]; problems: string[] } {
  const loaded = loadDeployDir(dir);
  return { manifests: loaded.manifests, problems: [...loaded.problems, ...manifestProblems(loaded.manifests)] };
}
