#!/usr/bin/env node
// The one entry behind every npm script: installs dependencies when missing,
// builds, finds Redis, then runs the command. Plain Node with no dependencies,
// because it runs before anything is installed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureRedis } = require('./redis');
const { devCredentials } = require('./dev-credentials');

const ROOT = path.resolve(__dirname, '..');
const PNPM_VERSION = require('../package.json').packageManager.split('@')[1];
const APPS = {
  'start:api': 'api',
  'start:worker': 'worker',
  'start:dispatcher': 'dispatcher',
  'start:dashboard': 'dashboard',
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function node(script, args = [], opts = {}) {
  run(process.execPath, [path.join(ROOT, script), ...args], opts);
}

function ensureInstalled() {
  const marker = path.join(ROOT, 'node_modules', '.modules.yaml');
  const lock = path.join(ROOT, 'pnpm-lock.yaml');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  console.error('[inferq] installing dependencies (pnpm install --frozen-lockfile) ...');
  // Corepack's signature check fails on some registry mirrors, so pnpm comes through npx.
  run('npx', ['--yes', `pnpm@${PNPM_VERSION}`, 'install', '--frozen-lockfile'], {
    env: { ...process.env, COREPACK_INTEGRITY_KEYS: '0', CI: 'true' },
  });
}

function build() {
  ensureInstalled();
  node('node_modules/typescript/bin/tsc', ['-b', 'tsconfig.json']);
}

async function withRedis() {
  try {
    process.env.REDIS_URL = await ensureRedis(ROOT);
  } catch (err) {
    console.error(`[inferq] ${err.message}`);
    process.exit(1);
  }
}

/** typescript-eslint (type-aware, one program: tsconfig.lint.json) and prettier --check over the whole repo. */
function lint() {
  ensureInstalled();
  console.error('[inferq] linting (eslint) ...');
  node('node_modules/eslint/bin/eslint.js', ['--max-warnings', '0', '.']);
  console.error('[inferq] checking formatting (prettier --check) ...');
  node('node_modules/prettier/bin/prettier.cjs', ['--check', '--log-level', 'warn', '.']);
}

async function test(args) {
  build();
  console.error('[inferq] typechecking sources and tests ...');
  node('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.test.json']);
  console.error('[inferq] checking for import cycles ...');
  node('node_modules/madge/bin/cli.js', [
    '--circular',
    '--extensions',
    'ts',
    '--ts-config',
    'tsconfig.test.json',
    '--no-spinner',
    'apps',
    'packages',
  ]);
  lint();
  await withRedis();
  node('node_modules/jest/bin/jest.js', args);
}

/** The fault-injection suite: the chaos jest config starts its own durable redis-server (never the shared one). */
function chaos(args) {
  build();
  console.error('[inferq] typechecking the chaos suite ...');
  node('node_modules/typescript/bin/tsc', ['-p', 'chaos/tsconfig.json']);
  node('node_modules/jest/bin/jest.js', ['--config', 'chaos/jest.config.js', ...args]);
}

async function startAll() {
  build();
  await withRedis();
  Object.assign(process.env, devCredentials(ROOT, process.env));
  require(path.join(ROOT, 'apps/inferq/dist/main.js'));
}

/** Production entries: env only, built once; the app runs in this very process so signals reach it. */
function startOne(app) {
  const main = path.join(ROOT, 'apps', app, 'dist', 'main.js');
  if (!fs.existsSync(main)) build();
  require(main);
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'build') return build();
  if (command === 'test') return test(args);
  if (command === 'lint') return lint();
  if (command === 'start') return startAll();
  if (command === 'chaos') return chaos(args);
  if (command === 'bench') {
    build();
    await withRedis();
    return node('bench/dist/main.js', args);
  }
  if (APPS[command]) return startOne(APPS[command]);
  console.error(`usage: node scripts/run.js build|test|lint|start|bench|chaos|${Object.keys(APPS).join('|')}`);
  process.exit(2);
}

void main();
