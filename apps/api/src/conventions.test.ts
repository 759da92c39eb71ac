import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from './index';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('@inferq/api conventions', () => {
  it('exports exactly its public API', () => {
    expect(Object.keys(api).sort()).toEqual(['ApiEnv', 'createApiApp', 'loadApiConfig', 'startApi']);
  });

  const files = sources(__dirname);
  it.each(files.map((f) => [f.slice(__dirname.length + 1), f]))('%s writes no error body by hand', (_name, file) => {
    // Error bodies come from errorBody()/toErrorResponse() in @inferq/core only.
    expect(readFileSync(file, 'utf8')).not.toMatch(/\berror\s*:\s*\{|['"]error['"]\s*:/);
  });

  it.each(files.map((f) => [f.slice(__dirname.length + 1), f]))(
    '%s reads no process.env unless it is env.ts',
    (name, file) => {
      if (name === 'env.ts') return;
      expect(readFileSync(file, 'utf8')).not.toMatch(/process\.env/);
    },
  );

  it('keeps express out of the handlers', () => {
    for (const f of files.filter((x) => x.includes('/handlers/'))) {
      expect(readFileSync(f, 'utf8')).not.toMatch(/from 'express'/);
    }
  });
});
