import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, visit } from 'yaml';
import { z } from 'zod';

/** One YAML document of a manifest file. */
export interface Manifest {
  file: string;
  doc: unknown;
}

/** The fields of kustomization.yaml that deploy/k8s uses; anything else is reported. */
export const Kustomization = z.strictObject({
  apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
  kind: z.literal('Kustomization'),
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
  resources: z.array(z.string().min(1)).min(1),
  images: z.array(z.strictObject({ name: z.string(), newName: z.string().optional(), newTag: z.string().optional() })),
});
export type Kustomization = z.output<typeof Kustomization>;

export interface DeployDir {
  manifests: Manifest[];
  kustomization?: Kustomization;
  /** YAML that does not parse, aliases, files kustomization.yaml forgets or names but lacks. */
  problems: string[];
}

/** Every YAML document of one file; `problems` gets parse errors and aliases. */
export function parseYamlFile(path: string, problems: string[]): unknown[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) problems.push(`${path}: not a YAML stream`);
  return list.flatMap((doc) => {
    if (doc.errors.length > 0) {
      problems.push(...doc.errors.map((e) => `${path}: ${e.message}`));
      return [];
    }
    // Kustomize and some kubectl versions do not expand anchors; the files spell everything out.
    visit(doc, { Alias: () => void problems.push(`${path}: uses a YAML alias; write the value out`) });
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

/** Reads a kustomize directory: kustomization.yaml and every *.yaml beside it (it must list them all). */
export function loadDeployDir(dir: string): DeployDir {
  const problems: string[] = [];
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
  const kustomizationPath = join(dir, 'kustomization.yaml');
  let kustomization: Kustomization | undefined;
  if (!existsSync(kustomizationPath)) problems.push(`${dir}: no kustomization.yaml`);
  else {
    const parsed = Kustomization.safeParse(parseYamlFile(kustomizationPath, problems)[0]);
    if (parsed.success) kustomization = parsed.data;
    else problems.push(...parsed.error.issues.map((i) => `kustomization.yaml: ${i.path.join('.')}: ${i.message}`));
  }
  const listed = new Set(kustomization?.resources ?? []);
  for (const f of files) if (!listed.has(f)) problems.push(`${f}: not listed in kustomization.yaml resources`);
  for (const f of listed) if (!files.includes(f)) problems.push(`kustomization.yaml: resource ${f} does not exist`);
  const manifests = files.flatMap((file) => parseYamlFile(join(dir, file), problems).map((doc) => ({ file, doc })));
  return { manifests, kustomization, problems };
}
