import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CHROMIUM_INSTALL, CHROMIUM_PATH_VAR, DEFAULT_CHROMIUM_PATH, chromiumGate } from './browser';
import { testEnv } from './test-env';

const ROOT = resolve(__dirname, '../../..');
const MISSING = '/nonexistent/inferq-test/chromium';

describe('chromiumGate', () => {
  it('finds the browser at the default path, or at the override', () => {
    expect(chromiumGate({}).path).toBe(DEFAULT_CHROMIUM_PATH);
    expect(chromiumGate({ [CHROMIUM_PATH_VAR]: process.execPath })).toEqual({
      state: 'present',
      path: process.execPath,
    });
  });

  it('skips a missing browser, except under CI=true', () => {
    expect(chromiumGate({ [CHROMIUM_PATH_VAR]: MISSING })).toEqual({
      state: 'skip',
      path: MISSING,
      reason: `Chromium is missing at ${MISSING}; install it with: ${CHROMIUM_INSTALL}`,
    });
    expect(chromiumGate({ [CHROMIUM_PATH_VAR]: MISSING, CI: 'true' })).toMatchObject({ state: 'fail' });
  });
});

/** A jest run of the gate's fixture, as `npm test` runs jest (same config, same reporters). */
function runFixture(env: Record<string, string>): { status: number | null; output: string } {
  const jest = resolve(ROOT, 'node_modules/jest/bin/jest.js');
  const r = spawnSync(process.execPath, [jest, '--testMatch', '**/test/browser-gate.fixture.ts'], {
    cwd: ROOT,
    env: { ...testEnv(), ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('a jest run without Chromium', () => {
  it('passes, and its last lines say what was skipped and how to install the browser', () => {
    const run = runFixture({ [CHROMIUM_PATH_VAR]: MISSING, CI: 'false' });
    expect({ status: run.status, output: run.output }).toMatchObject({ status: 0 });
    const tail = run.output.trimEnd().split('\n').slice(-2).join('\n');
    expect(tail).toContain('browser suite(s) SKIPPED: the gate fixture');
    expect(tail).toContain(`Chromium is missing at ${MISSING}; install it with: ${CHROMIUM_INSTALL}`);
  }, 120_000);

  it('fails under CI=true, naming the missing browser', () => {
    const run = runFixture({ [CHROMIUM_PATH_VAR]: MISSING, CI: 'true' });
    expect(run.status).toBe(1);
    expect(run.output).toContain(`Chromium is missing at ${MISSING}`);
    expect(run.output).toContain('Under CI=true the browser suites must run');
  }, 120_000);

  it('runs the suite when the browser is there', () => {
    const run = runFixture({ [CHROMIUM_PATH_VAR]: process.execPath, CI: 'true' });
    expect(run.status).toBe(0);
    expect(run.output).toMatch(/1 passed/);
    expect(run.output).not.toContain('SKIPPED');
  }, 120_000);
});
