import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { INCLUDE_LINE, LUA_DIR, luaScript } from './lua-files';

/*
 * The convention of packages/store/lua (see the package README): every file
 * opens with a header naming its KEYS, ARGV and return values, reads each
 * KEYS[n] and ARGV[n] into a named local at the top, and is used.
 */

const luaFiles = (dir = LUA_DIR): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? luaFiles(join(dir, e.name)) : e.name.endsWith('.lua') ? [join(dir, e.name)] : [],
  );
const files = luaFiles().map((path) => ({ name: relative(LUA_DIR, path), text: readFileSync(path, 'utf8') }));
const scripts = files.filter((f) => !f.name.startsWith('includes/'));

/** Splits a file into its header comment and the code after it. */
function parts(text: string): { header: string; code: string[] } {
  const end = text.indexOf('\n]]\n');
  if (!text.startsWith('--[[\n') || end < 0) throw new Error('no --[[ ... ]] header at the top');
  return { header: text.slice(0, end), code: text.slice(end + 4).split('\n') };
}

/** The header's entries of one section: `[2] eventsKey  ...` gives [2, 'eventsKey']; routing-only ones have no name. */
function entries(header: string, section: 'KEYS' | 'ARGV'): { index: string; name?: string }[] {
  const body = header.split(new RegExp(`^  ${section}$`, 'm'))[1]?.split(/^ {2}\S/m)[0] ?? '';
  return [...body.matchAll(/^ {4}\[(\d+(?:\.\.)?)\] (\(?)(\w*)/gm)].map((m) => ({
    index: m[1] ?? '',
    ...(m[2] === '(' ? {} : { name: m[3] }),
  }));
}

const LOCAL = /^local (\w+) = (?:tonumber\()?(KEYS|ARGV)\[(\d+)\]\)?$/;

/** The named locals block: after the includes, the leading `local name = KEYS[n]` lines; then the body. */
function split(code: string[]): { locals: RegExpExecArray[]; body: string[] } {
  let i = 0;
  while (i < code.length && /^--@include /.test(code[i] ?? '')) i++;
  const locals: RegExpExecArray[] = [];
  for (let m; i < code.length && (m = LOCAL.exec(code[i] ?? '')); i++) locals.push(m);
  return { locals, body: code.slice(i) };
}

const includesOf = (text: string) => [...text.matchAll(INCLUDE_LINE)].map((m) => m[1] ?? '');

describe.each(files)('lua/$name', ({ text }) => {
  const { header, code } = parts(text);
  const { locals, body } = split(code);

  it('has a header with its KEYS, ARGV and return values', () => {
    for (const section of ['KEYS', 'ARGV', 'Returns']) expect(header).toMatch(new RegExp(`^  ${section}$`, 'm'));
  });

  it('reads KEYS and ARGV only into the named locals at the top (a varargs tail by index)', () => {
    for (const section of ['KEYS', 'ARGV'] as const) {
      const tail = entries(header, section).some((e) => e.index.endsWith('..'));
      // A tail (`[4..]`, or `[1..]` for one set of keys per item) is read by computed index only.
      const read = new RegExp(tail ? `${section}\\[\\d` : `${section}\\[`);
      expect(body.filter((l) => read.test(l))).toEqual([]);
    }
  });

  it("publishes only as redis.call('PUBLISH', ...), the literal withPublish turns into SPUBLISH on a Cluster", () => {
    const publishes = body.filter((l) => /publish['"]/i.test(l));
    expect(publishes.filter((l) => !l.includes("redis.call('PUBLISH', "))).toEqual([]);
  });

  it('names each local as its header does', () => {
    const ownNames = locals.map((m) => `${m[2]} [${m[3]}] ${m[1]}`);
    const included = includesOf(text).flatMap(
      (inc) => split(parts(readFileSync(join(LUA_DIR, inc), 'utf8')).code).locals,
    );
    const allNames = [...ownNames, ...included.map((m) => `${m[2]} [${m[3]}] ${m[1]}`)];
    const documented = (['KEYS', 'ARGV'] as const).flatMap((s) =>
      entries(header, s)
        .filter((e) => e.name !== undefined && !e.index.endsWith('..'))
        .map((e) => `${s} [${e.index}] ${e.name}`),
    );
    for (const local of ownNames) expect(documented).toContain(local);
    for (const doc of documented) expect(allNames).toContain(doc);
  });
});

describe('lua files are all used', () => {
  const srcFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? srcFiles(join(dir, e.name)) : /(?<!\.test)\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  const loaded = new Set(
    srcFiles(__dirname).flatMap((p) =>
      [...readFileSync(p, 'utf8').matchAll(/luaScript\('([\w-]+)'\)/g)].map((m) => m[1]),
    ),
  );

  it('every script is loaded by some store module, and every loaded name has its file', () => {
    expect([...loaded].sort()).toEqual(scripts.map((f) => f.name.replace(/\.lua$/, '')).sort());
  });

  it('every include is included by some script', () => {
    const included = new Set(scripts.flatMap((f) => includesOf(f.text)));
    expect([...included].sort()).toEqual(
      files
        .filter((f) => f.name.startsWith('includes/'))
        .map((f) => f.name)
        .sort(),
    );
  });

  it('expands includes in place of their line', () => {
    const submit = luaScript('sched-submit');
    expect(submit).not.toMatch(/^--@include/m);
    expect(submit).toContain('local function pick(now, pending)');
  });
});
