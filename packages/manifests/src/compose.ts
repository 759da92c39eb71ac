import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const Duration = z.string().regex(/^\d+(ms|s|m|h)$/);

/** The docker compose fields inferq uses; an unknown or misspelled field is a problem. */
const ComposeService = z.strictObject({
  image: z.string().optional(),
  build: z.string().optional(),
  restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).optional(),
  init: z.boolean().optional(),
  command: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  ports: z.array(z.string().regex(/^(\d+:)?\d+$/)).optional(),
  volumes: z.array(z.string()).optional(),
  environment: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).optional(),
  depends_on: z
    .union([
      z.array(z.string()),
      z.record(
        z.string(),
        z.strictObject({
          condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']),
          /** false: ignored when the service is not started (its profile is off); Compose 2.20+. */
          required: z.boolean().optional(),
        }),
      ),
    ])
    .optional(),
  healthcheck: z
    .strictObject({
      test: z.array(z.string()).min(2),
      interval: Duration.optional(),
      timeout: Duration.optional(),
      retries: z.number().int().positive().optional(),
      start_period: Duration.optional(),
    })
    .optional(),
  profiles: z.array(z.string()).optional(),
  stop_grace_period: Duration.optional(),
});

const ComposeFile = z.strictObject({
  services: z.record(z.string(), ComposeService),
  volumes: z.record(z.string(), z.null()).optional(),
});
export type ComposeFile = z.output<typeof ComposeFile>;

/** `${VAR:-default}` as compose expands it with VAR unset. */
const expand = (s: string) =>
  s.replace(/\$\{[A-Z_][A-Z0-9_]*(?::?-([^}]*))?\}/g, (_m, def: string | undefined) => def ?? '');

export interface ComposeCheck {
  compose?: ComposeFile;
  problems: string[];
  /** Each service that runs an inferq app (`start:<app>`), with its environment expanded as with nothing set. */
  apps: Array<{ service: string; app: string; env: Record<string, string> }>;
}

/** docker-compose.yml: its fields, that what services depend on and mount exists, and the apps it runs. */
export function checkCompose(path: string): ComposeCheck {
  // Compose files use `x-` extension keys and `<<` merges of them.
  const raw: unknown = parse(readFileSync(path, 'utf8'), { merge: true });
  const withoutExtensions = Object.fromEntries(
    Object.entries(raw && typeof raw === 'object' ? raw : {}).filter(([k]) => !k.startsWith('x-')),
  );
  const parsed = ComposeFile.safeParse(withoutExtensions);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${path}: ${i.path.join('.')}: ${i.message}`), apps: [] };
  }
  const compose = parsed.data;
  const problems: string[] = [];
  const names = Object.keys(compose.services);
  const volumes = Object.keys(compose.volumes ?? {});
  const apps: ComposeCheck['apps'] = [];
  for (const [name, s] of Object.entries(compose.services)) {
    const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
    for (const dep of deps) {
      if (!names.includes(dep)) problems.push(`service ${name}: depends on unknown service ${dep}`);
    }
    for (const v of s.volumes ?? []) {
      const source = v.split(':')[0] ?? '';
      if (/^[A-Za-z0-9][\w.-]*$/.test(source) && !volumes.includes(source))
        problems.push(`service ${name}: no volume ${source}`);
    }
    if (!s.image && !s.build) problems.push(`service ${name}: neither image nor build`);
    const app = s.command?.join(' ').match(/start:(api|worker|dispatcher|dashboard)$/)?.[1];
    if (app)
      apps.push({
        service: name,
        app,
        env: Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, expand(v)])),
      });
  }
  return { compose, problems, apps };
}
