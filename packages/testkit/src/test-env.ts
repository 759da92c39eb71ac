/**
 * The one place test helpers read the environment: jest's global setup puts
 * the Redis it found in REDIS_URL, and spawned processes inherit the rest.
 */
export function testEnv(): Record<string, string | undefined> {
  return process.env;
}
