/** A Lua script as ioredis defines it as a command. */
export interface LuaCommand {
  /** Omitted when it varies: the caller passes it first. */
  numberOfKeys?: number;
  lua: string;
}

/** What defining needs of a connection (ioredis's Redis or Cluster). */
interface DefinesCommands {
  defineCommand(name: string, definition: LuaCommand): void;
}

/**
 * Defines the commands on the connection unless it has them already (every
 * store over a shared connection defines the same ones), and returns the
 * connection typed as having them: `T` names their signatures.
 */
export function withLuaCommands<T>(redis: DefinesCommands, commands: Record<string, LuaCommand>): T {
  for (const [name, command] of Object.entries(commands)) {
    if (!(name in redis)) redis.defineCommand(name, command);
  }
  return redis as unknown as T;
}
