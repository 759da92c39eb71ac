import { COMMON } from './scheduler-scripts';

/*
 * A job's retries and the scheduler: while a job waits out a retry delay it
 * holds no slot (it uses no GPU); its next attempt takes one again. Same key
 * layout and conventions as scheduler-scripts.ts.
 */

/**
 * pause: jobs in flight go to wait out a retry delay (or were handed back by
 * a draining worker): their slots go to the next jobs in the order of service
 * (a job in backoff uses no GPU), their charge stays until they finish.
 * KEYS[1] the pool's inflight hash (routing only)
 * ARGV[1] base, ARGV[2] now (ms), ARGV[3..] ids
 * Returns {promoted, expired} (see pick).
 */
export const SCHED_PAUSE_LUA = `${COMMON}
for i = 3, #ARGV do
  local entry = redis.call('HGET', inflightKey, ARGV[i])
  if entry then
    redis.call('HDEL', inflightKey, ARGV[i])
    redis.call('HSET', retryingKey, ARGV[i], entry)
  end
end
return pick(tonumber(ARGV[2]))
`;

/**
 * resume: a job's next attempt starts; it takes a slot again (the pool may
 * run over its capacity by the jobs resuming at once, never by more).
 * KEYS[1] the pool's inflight hash (routing only)
 * ARGV[1] base, ARGV[2] id
 * Returns 1 resumed, 0 it was not waiting out a retry.
 */
export const SCHED_RESUME_LUA = `
local base = ARGV[1]
local entry = redis.call('HGET', base .. 'retrying', ARGV[2])
if not entry then return 0 end
redis.call('HDEL', base .. 'retrying', ARGV[2])
redis.call('HSET', base .. 'inflight', ARGV[2], entry)
return 1
`;
