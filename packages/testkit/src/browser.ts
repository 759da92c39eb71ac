import { existsSync } from 'node:fs';
import { testEnv } from './test-env';

/**
 * Debian's Chromium, driven by playwright-core (which brings no browser of
 * its own here). The flags keep it off the closed network, where it would
 * otherwise stall on background connections.
 */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
/** Points the browser suites at another Chromium (or, in the gate's own test, at a missing one). */
export const CHROMIUM_PATH_VAR = 'INFERQ_CHROMIUM_PATH';
export const CHROMIUM_INSTALL = 'sudo apt-get install -y chromium';
/** Starts the title of a browser suite skipped for want of Chromium; scripts/browser-skip-reporter.js looks for it. */
export const BROWSER_SKIP_MARK = '[needs Chromium]';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export type ChromiumGate =
  | { readonly state: 'present'; readonly path: string }
  | { readonly state: 'skip' | 'fail'; readonly path: string; readonly reason: string };

/** The one place that says where Chromium is and what a missing one means: skipped locally, a failure under CI=true. */
export function chromiumGate(env: Record<string, string | undefined> = testEnv()): ChromiumGate {
  const path = env[CHROMIUM_PATH_VAR] || DEFAULT_CHROMIUM_PATH;
  if (existsSync(path)) return { state: 'present', path };
  const reason = `Chromium is missing at ${path}; install it with: ${CHROMIUM_INSTALL}`;
  return { state: env.CI === 'true' ? 'fail' : 'skip', path, reason };
}

/** The browser's path for a suite that runs (inside describeWithChromium). */
export function chromiumPath(): string {
  return chromiumGate().path;
}

/**
 * A describe block that needs Chromium: run as usual when it is there. When it
 * is not, the body is never called (so it starts nothing) and one skipped test
 * stands for the suite, its title giving the reason for the run's summary;
 * under CI=true it is one failing test instead (CI installs Chromium, .ci/run,
 * so its absence there is a broken setup).
 */
export function describeWithChromium(title: string, body: () => void): void {
  const gate = chromiumGate();
  if (gate.state === 'present') return describe(title, body);
  describe(`${BROWSER_SKIP_MARK} ${title}`, () => {
    if (gate.state === 'skip') it.skip(gate.reason, () => undefined);
    else
      it('needs Chromium (CI=true)', () => {
        throw new Error(`${gate.reason}. Under CI=true the browser suites must run.`);
      });
  });
}
