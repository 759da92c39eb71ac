/**
 * The CLI's configuration, from env only (the one reader of process.env).
 * INFERQ_URL: the api's base URL (default http://127.0.0.1:3000, what `npm start` serves).
 * INFERQ_API_KEY: a tenant API key (what `npm start` printed, or one of API_KEYS).
 */
export interface CliEnv {
  url: string;
  apiKey: string | undefined;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

export function loadCliEnv(env: Record<string, string | undefined> = process.env): CliEnv {
  const url = env.INFERQ_URL?.trim() || DEFAULT_URL;
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`INFERQ_URL must be an http(s) URL, got "${url}"`);
  return { url, apiKey: env.INFERQ_API_KEY?.trim() || undefined };
}

/** The caller's mistake (arguments, env): exit 2 with the message, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
