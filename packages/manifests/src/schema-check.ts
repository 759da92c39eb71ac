import { KINDS } from './kinds';
import type { Manifest } from './load';

function describe(doc: unknown): string {
  if (typeof doc !== 'object' || doc === null) return typeof doc;
  const o = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: string } };
  return `${String(o.apiVersion)} ${String(o.kind)} ${o.metadata?.name ?? '(no name)'}`;
}

/**
 * Each document against the schema of its kind (Kubernetes' OpenAPI schemas,
 * KEDA's and the Prometheus Operator's CRDs, through kubernetes-models): types,
 * required fields, enums and formats. A kind not in KINDS is a problem itself.
 */
export function schemaProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  for (const { file, doc } of manifests) {
    const kind = KINDS.find((k) => k.is(doc));
    if (!kind) {
      problems.push(`${file}: ${describe(doc)}: no schema for this apiVersion and kind`);
      continue;
    }
    const name = (doc as { metadata?: { name?: unknown } }).metadata?.name;
    if (typeof name !== 'string' || name === '') problems.push(`${file}: ${kind.id}: metadata.name is missing`);
    try {
      kind.validate(doc);
    } catch (err) {
      problems.push(`${file}: ${describe(doc)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}
