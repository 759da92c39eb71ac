import { existsSync } from 'node:fs';

/**
 * Debian's Chromium, driven by playwright-core (which brings no browser of
 * its own here). The flags keep it off the closed network, where it would
 * otherwise stall on background connections.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
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

/** Fails, never skips: CI installs Chromium (.ci/run), so a missing browser is a broken setup. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  return CHROMIUM_PATH;
}
