import { readdirSync, readFileSync } from 'node:fs';
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
}

// Built from parts, so that this file does not match its own patterns.
const ERROR_LITERAL = new RegExp(`\\b${'error'}\\s*:\\s*\\{|['"]${'error'}['"]\\s*:`);
const ENV_READ = new RegExp(`process\\.${'env'}`);
const INFERQ_IMPORT =
  /\b(?:import|export)\s+(type\s+)?(?:[^'";]*?\bfrom\s+)?'(@inferq\/[^']+)'|require\('(@inferq\/[^']+)'\)/g;

/** The package's own code: every .ts under src but its tests and test helpers (src/test/). */
function productionSources(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === join(root, 'test') ? [] : productionSources(path, root);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
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
}

/** What the package's code does against its rules (all empty when it keeps them). */
export function conventionOffences(rules: Omit<PackageConventions, 'exports'>): ConventionOffences {
  const files = productionSources(rules.srcDir).map((path) => ({
    name: relative(rules.srcDir, path),
    text: readFileSync(path, 'utf8'),
  }));
  const envModules = rules.envModules ?? ['env.ts'];
  const errorModules = rules.errorModules ?? [];
  return {
    errorLiterals: files.filter((f) => !errorModules.includes(f.name) && ERROR_LITERAL.test(f.text)).map((f) => f.name),
    envReads: files.filter((f) => !envModules.includes(f.name) && ENV_READ.test(f.text)).map((f) => f.name),
    imports: files.flatMap((f) => importOffences(f.text, f.name, rules.imports)),
  };
}

/**
 * The conventions every package keeps, as one describe block: its public
 * exports match the snapshot (a change is a deliberate API change); error
 * bodies are written by the error module only; only env modules read the
 * process environment; and it imports no inferq package but those it may.
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
  });
}
