import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Lua scripts live: packages/store/lua, next to src and dist, so the
 * same path works from the TypeScript sources (jest) and from the build.
 */
export const LUA_DIR = join(__dirname, '..', 'lua');

/** A line `--@include includes/name.lua` is replaced by that file (a shared prelude of locals and functions). */
export const INCLUDE_LINE = /^--@include (\S+)$/gm;

/** Nested includes deeper than this are a cycle. */
const MAX_DEPTH = 4;

function expand(text: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new Error('lua include nested too deep (a cycle?)');
  return text.replace(INCLUDE_LINE, (_line, path: string) =>
    expand(readFileSync(join(LUA_DIR, path), 'utf8'), depth + 1).trimEnd(),
  );
}

/**
 * The text of lua/<name>.lua with its includes expanded, as ioredis sends it
 * to Redis. Modules call it once, at load: a missing file fails at start, not
 * at the first command.
 */
export function luaScript(name: string): string {
  return expand(readFileSync(join(LUA_DIR, `${name}.lua`), 'utf8'), 0);
}
