/**
 * The all-in-one process hands the whole environment to each app, which
 * parses it with its own schema; `npm start` adds development credentials
 * (INFERQ_DEV_API_KEY / INFERQ_DEV_ADMIN_TOKEN) only to print them.
 */
export function allInOneEnv(): Record<string, string | undefined> {
  return process.env;
}
