import type { Redis } from 'ioredis';
import { bullmqScriptNames, keyPattern, keySlot, scriptLabel, sha1, unescapeMonitor } from './key-slots';

/** One command as MONITOR reports it: args (name first) and the client it came from ('lua' inside a script). */
export interface Monitored {
  args: string[];
  source: string;
}

/** A command, script or transaction whose keys span several slots: on a cluster it fails. */
export interface CrossSlot {
  /** `EVALSHA <script>`, `MULTI [...]` or the command name. */
  what: string;
  /** Its keys with ids, tenants and days named (`<P>:job:<job>`). */
  keys: string[];
  slots: number;
  /** Why it fails: CROSSSLOT, a script touching an undeclared key, or a transaction over slots. */
  error: string;
  firstStep: string;
  count: number;
}

const SCRIPT_CALLS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall']);

/**
 * Replays what MONITOR saw of a run on standalone Redis and reports every
 * command, Lua script and MULTI whose keys (Redis's own COMMAND GETKEYS, and
 * for scripts also the keys their commands touched) hash to more than one
 * slot: each would fail on Redis Cluster (CROSSSLOT, or "Script attempted to
 * access a non local key", or ioredis refusing a transaction over slots).
 */
export class SlotAudit {
  private readonly names = bullmqScriptNames();
  private readonly keyCache = new Map<string, string[]>();
  private readonly found = new Map<string, CrossSlot>();
  private readonly multis = new Map<string, { names: string[]; keys: string[] }>();
  /** The last script call and the commands it ran (MONITOR reports those right after it). */
  private script?: { step: string; label: string; keys: string[]; inner: string[][] };
  private commands = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  get commandsSeen(): number {
    return this.commands;
  }

  results(): CrossSlot[] {
    return [...this.found.values()].sort((a, b) => b.count - a.count);
  }

  /** Audits the commands of one scenario step, in MONITOR's order. */
  async step(step: string, entries: Monitored[]): Promise<void> {
    for (const e of entries) await this.one(step, e);
    await this.closeScript();
  }

  private async closeScript(): Promise<void> {
    const s = this.script;
    if (!s) return;
    this.script = undefined;
    const inner = (await Promise.all(s.inner.map((a) => this.keysOf(a)))).flat();
    const slots = new Set(s.keys.map(keySlot));
    const undeclared = [...new Set(inner.filter((k) => !s.keys.includes(k)))];
    if (undeclared.some((k) => !slots.has(keySlot(k)))) {
      await this.record(
        s.step,
        `${s.label} (keys built in Lua)`,
        [...s.keys, ...undeclared],
        'script accesses a key of another slot',
      );
    }
  }

  private async one(step: string, { args, source }: Monitored): Promise<void> {
    const name = (args[0] ?? '').toLowerCase();
    this.commands++;
    if (source === 'lua') return void this.script?.inner.push(args);
    await this.closeScript();
    const body = unescapeMonitor(args[1] ?? '');
    if (name === 'eval' && !this.names.has(sha1(body))) this.names.set(sha1(body), scriptLabel(body));
    const open = this.multis.get(source);
    if (name === 'multi') return void this.multis.set(source, { names: [], keys: [] });
    if (name === 'exec' && open) {
      this.multis.delete(source);
      const what = `MULTI [${[...new Set(open.names)].join(', ')}]`;
      return this.record(step, what, open.keys, 'ioredis refuses a transaction over slots (CROSSSLOT on the server)');
    }
    const keys = await this.keysOf(args);
    const label = SCRIPT_CALLS.has(name) ? `script: ${this.scriptName(name, body)}` : name.toUpperCase();
    if (SCRIPT_CALLS.has(name)) {
      await this.record(step, label, keys, 'CROSSSLOT (declared keys)');
      this.script = { step, label, keys, inner: [] };
    }
    if (open) {
      open.names.push(label);
      open.keys.push(...keys);
      return;
    }
    if (!SCRIPT_CALLS.has(name)) await this.record(step, label, keys, 'CROSSSLOT');
  }

  private scriptName(name: string, shaOrBody: string): string {
    const sha = name.startsWith('evalsha') ? shaOrBody : sha1(shaOrBody);
    return this.names.get(sha) ?? `script ${sha.slice(0, 8)}`;
  }

  private async record(step: string, what: string, keys: string[], error: string): Promise<void> {
    const slots = new Set(keys.map(keySlot)).size;
    if (slots < 2) return;
    const patterns = [...new Set(keys.map((k) => keyPattern(k, this.prefix)))];
    // One row per operation and queue family (pool queues, the webhook queue), whatever keys a script built.
    const id = `${what}|${error}|${patterns[0] ?? ''}`;
    const seen = this.found.get(id);
    if (seen) seen.count++;
    else this.found.set(id, { what, keys: patterns, slots, error, firstStep: step, count: 1 });
  }

  /** Redis's own answer to which arguments are keys (none for commands without). */
  private async keysOf(args: string[]): Promise<string[]> {
    const id = args.join('\u0000');
    const cached = this.keyCache.get(id);
    if (cached) return cached;
    const keys = await this.redis
      .call('COMMAND', 'GETKEYS', ...args)
      .then((r) => (Array.isArray(r) ? r.map(String) : []))
      .catch(() => []);
    if (this.keyCache.size < 50_000) this.keyCache.set(id, keys);
    return keys;
  }
}
