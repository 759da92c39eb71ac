import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** How a package may use another inferq package: at run time, or for its types only (`import type`). */
export type ImportUse = 'runtime' | 'types';

export interface PackageConventions {
  /** The package's `src` directory: the calling test's `__dirname`. */
  srcDir: string;
  /** `import * as pkg from './index'`; its names are snapshotted. */
  exports: object;
  /** Paths under src that may read the process environment (the env module); default `env.ts`. */
  envModules?: string[];
  /** Paths under src that may write an error body literal (an `error` key with an object): the error module; default none. */
  errorModules?: string[];
  /** The only inferq packages its code may import, and how; anything else (and any deep import) fails. */
  imports: Readonly<Record<string, ImportUse>>;
  /**
   * It may talk to Redis itself: the store (its one owner) and the test
   * packages. Any other reaches Redis through the store's classes only: no
   * Redis client in its code, tests or package.json, no BullMQ connection class.
   */
  talksToRedis?: boolean;
}

// Built from parts, so that this file does not match its own patterns.
const ERROR_LITERAL = new RegExp(`\\b${'error'}\\s*:\\s*\\{|['"]${'error'}['"]\\s*:`);
const ENV_READ = new RegExp(`process\\.${'env'}`);
const INFERQ_IMPORT =
  /\b(?:import|export)\s+(type\s+)?(?:[^'";]*?\bfrom\s+)?'(@inferq\/[^']+)'|require\('(@inferq\/[^']+)'\)/g;

/** Redis clients, and BullMQ's own connection names (bullmq wraps ioredis). */
const REDIS_MODULES = ['ioredis', 'redis', '@redis/client'];
const REDIS_IMPORT = new RegExp(
  `\\b(?:import|export)\\s+(?:type\\s+)?(?:[^'";]*?\\bfrom\\s+)?'(${REDIS_MODULES.join('|')})'|require\\('(${REDIS_MODULES.join('|')})'\\)`,
  'g',
);
const BULLMQ_NAMED = /\b(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s+'bullmq'/g;
const BULLMQ_CONNECTION = new Set(['RedisConnection', 'ConnectionOptions', 'RedisClient']);

/** Every .ts under src; `production`: the package's own code, without its tests and test helpers (src/test/). */
function sources(dir: string, production: boolean, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return production && path === join(root, 'test') ? [] : sources(path, production, root);
    return e.name.endsWith('.ts') && !(production && e.name.endsWith('.test.ts')) ? [path] : [];
  });
}

/** `type X as Y` -> `X`. */
const importedName = (spec: string): string =>
  spec
    .trim()
    .replace(/^type\s+/, '')
    .split(/\s+as\s+/)[0];

/** Where a file (tests included) or the package.json reaches Redis other than through the store, as `file: module`. */
function redisOffences(srcDir: string): string[] {
  const offences = sources(srcDir, false).flatMap((path) => {
    const name = relative(srcDir, path);
    const text = readFileSync(path, 'utf8');
    const clients = [...text.matchAll(REDIS_IMPORT)].map((m) => `${name}: ${m[1] ?? m[2]}`);
    const bullmq = [...text.matchAll(BULLMQ_NAMED)].flatMap((m) =>
      m[1]
        .split(',')
        .map(importedName)
        .filter((n) => BULLMQ_CONNECTION.has(n))
        .map((n) => `${name}: bullmq ${n}`),
    );
    return [...clients, ...bullmq];
  });
  const manifest = join(srcDir, '..', 'package.json');
  if (!existsSync(manifest)) return offences;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string> | undefined>;
  const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  return [...offences, ...deps.filter((d) => REDIS_MODULES.includes(d)).map((d) => `package.json: ${d}`)];
}

/** Imports of other inferq packages that the rules do not allow, as `file: import`. */
function importOffences(text: string, name: string, allowed: PackageConventions['imports']): string[] {
  const offences: string[] = [];
  for (const m of text.matchAll(INFERQ_IMPORT)) {
    const target = m[2] ?? m[3] ?? '';
    const use = allowed[target];
    if (use === undefined) offences.push(`${name}: ${target}`);
    else if (use === 'types' && !m[1]) offences.push(`${name}: ${target} (types only)`);
  }
  return offences;
}

export interface ConventionOffences {
  /** Files outside the error module that write an error body literal. */
  errorLiterals: string[];
  /** Files outside the env module that read the process environment. */
  envReads: string[];
  /** `file: @inferq/x` for every import of an inferq package the rules do not allow. */
  imports: string[];
  /** `file: module` for every way to Redis other than the store (none checked when `talksToRedis`). */
  redis: string[];
}

/** What the package's code does against its rules (all empty when it keeps them). */
export function conventionOffences(rules: Omit<PackageConventions, 'exports'>): ConventionOffences {
  const files = sources(rules.srcDir, true).map((path) => ({
    name: relative(rules.srcDir, path),
    text: readFileSync(path, 'utf8'),
  }));
  const envModules = rules.envModules ?? ['env.ts'];
  const errorModules = rules.errorModules ?? [];
  return {
    errorLiterals: files.filter((f) => !errorModules.includes(f.name) && ERROR_LITERAL.test(f.text)).map((f) => f.name),
    envReads: files.filter((f) => !envModules.includes(f.name) && ENV_READ.test(f.text)).map((f) => f.name),
    imports: files.flatMap((f) => importOffences(f.text, f.name, rules.imports)),
    redis: rules.talksToRedis ? [] : redisOffences(rules.srcDir),
  };
}

/**
 * The conventions every package keeps, as one describe block: its public
 * exports match the snapshot (a change is a deliberate API change); error
 * bodies are written by the error module only; only env modules read the
 * process environment; it imports no inferq package but those it may; and
 * unless it is the store or a test package, it talks to Redis only through the store.
 */
export function describeConventions(pkg: string, rules: PackageConventions): void {
  const found = conventionOffences(rules);
  describe(`${pkg} conventions`, () => {
    it('exports exactly its public API', () => {
      expect(Object.keys(rules.exports).sort()).toMatchSnapshot();
    });
    it('writes error literals only in its error module', () => expect(found.errorLiterals).toEqual([]));
    it('reads the process environment only in its env module', () => expect(found.envReads).toEqual([]));
    it(`imports only ${Object.keys(rules.imports).join(', ') || 'no other inferq package'}`, () => {
      expect(found.imports).toEqual([]);
    });
    if (!rules.talksToRedis) {
      it('talks to Redis only through @inferq/store (no Redis client, no BullMQ connection)', () => {
        expect(found.redis).toEqual([]);
      });
    }
  });
}
