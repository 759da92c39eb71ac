/**
 * The Batch API's state changes, each one Lua script over one tenant's keys
 * (one hash tag, see core keys.ts). A batch is driven by whichever api process
 * holds its lease (`lease_owner` in the batch hash, with an expiry); every
 * script of the runner checks the lease first, so a process that lost it (it
 * stalled and another took over) can no longer write. Recording a result is
 * not fenced: it is idempotent (one HSETNX per request) and any process may do it.
 */

const TERMINAL = `local function terminal(st) return st == 'completed' or st == 'failed' or st == 'expired' or st == 'cancelled' end`;

/**
 * lease: take or renew the batch's lease.
 * KEYS[1] batch hash. ARGV[1] owner, ARGV[2] now (ms), ARGV[3] lease length (ms)
 * Returns 1 held, 0 held by another, -1 batch ended, -2 no such batch.
 */
export const BATCH_LEASE_LUA = `${TERMINAL}
local f = redis.call('HMGET', KEYS[1], 'status', 'lease_owner', 'lease_until')
if not f[1] then return -2 end
if terminal(f[1]) then return -1 end
if f[2] and f[2] ~= ARGV[1] and tonumber(f[3] or '0') > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'lease_owner', ARGV[1], 'lease_until', tonumber(ARGV[2]) + tonumber(ARGV[3]))
return 1
`;

/**
 * release: give the lease back (a draining api), so another process takes over at once.
 * KEYS[1] batch hash. ARGV[1] owner. Returns 1 released, 0 not held.
 */
export const BATCH_RELEASE_LUA = `
if redis.call('HGET', KEYS[1], 'lease_owner') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'lease_owner', 'lease_until')
return 1
`;

/**
 * requests: validation appends validated requests, in order. Fenced, and only
 * at the expected position, so a repeat can never duplicate a request.
 * KEYS[1] batch hash, KEYS[2] requests list. ARGV[1] owner, ARGV[2] expected
 * length before (0 empties the list first: validation starts over), ARGV[3..] entries
 * Returns 1 appended, -1 lease lost, -2 not validating, -3 wrong position.
 */
export const BATCH_APPEND_REQUESTS_LUA = `
if redis.call('HGET', KEYS[1], 'lease_owner') ~= ARGV[1] then return -1 end
if redis.call('HGET', KEYS[1], 'status') ~= 'validating' then return -2 end
if ARGV[2] == '0' then redis.call('DEL', KEYS[2])
elseif redis.call('LLEN', KEYS[2]) ~= tonumber(ARGV[2]) then return -3 end
if #ARGV > 2 then redis.call('RPUSH', KEYS[2], unpack(ARGV, 3)) end
return 1
`;

/**
 * validated: validation ends. With errors the batch fails (nothing runs);
 * without, it starts with `total` requests.
 * KEYS[1] batch hash, KEYS[2] requests list. ARGV[1] owner, ARGV[2] now (ms),
 * ARGV[3] total, ARGV[4] errors (JSON list, '' for none), ARGV[5] retention (ms)
 * Returns 1 done, -1 lease lost, -2 no longer validating (cancelled meanwhile), -3 list length differs.
 */
export const BATCH_VALIDATED_LUA = `
if redis.call('HGET', KEYS[1], 'lease_owner') ~= ARGV[1] then return -1 end
if redis.call('HGET', KEYS[1], 'status') ~= 'validating' then return -2 end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[1], 'status', 'failed', 'failed_at', ARGV[2], 'errors', ARGV[4], 'total', 0)
  redis.call('HDEL', KEYS[1], 'lease_owner', 'lease_until')
  redis.call('DEL', KEYS[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
if redis.call('LLEN', KEYS[2]) ~= tonumber(ARGV[3]) then return -3 end
redis.call('HSET', KEYS[1], 'status', 'in_progress', 'in_progress_at', ARGV[2], 'total', ARGV[3], 'next_line', 0)
return 1
`;

/**
 * claim: requests [from, to) have their jobs (created just before): they
 * become pending, except those already recorded (a job that finished at once,
 * or a request answered without a job), and the feed moves on to `to`.
 * KEYS[1] batch hash, KEYS[2] results hash, KEYS[3] pending set, KEYS[4] tenant's outstanding counter
 * ARGV[1] owner, ARGV[2] from, ARGV[3] to
 * Returns the number made pending, -1 lease lost, -2 batch ended, -3 the feed is not at `from`.
 */
export const BATCH_CLAIM_LUA = `${TERMINAL}
local f = redis.call('HMGET', KEYS[1], 'lease_owner', 'status', 'next_line')
if f[1] ~= ARGV[1] then return -1 end
if terminal(f[2]) then return -2 end
if tonumber(f[3] or '0') ~= tonumber(ARGV[2]) then return -3 end
local added = 0
for i = tonumber(ARGV[2]), tonumber(ARGV[3]) - 1 do
  if redis.call('HEXISTS', KEYS[2], i) == 0 then
    redis.call('SADD', KEYS[3], i)
    added = added + 1
  end
end
redis.call('HSET', KEYS[1], 'next_line', ARGV[3])
if added > 0 then redis.call('INCRBY', KEYS[4], added) end
return added
`;

/**
 * record: results of requests, each written once: the first result of a
 * request wins, so counts stay exact however many processes report it.
 * Kind c (completed) goes to the output file; f (failed, counted) and x (not
 * run: batch cancelled or expired, not counted) go to the error file.
 * KEYS[1] batch hash, KEYS[2] results hash, KEYS[3] pending set, KEYS[4]
 * tenant's outstanding counter, KEYS[5] output file chunks, KEYS[6] error file chunks
 * ARGV triples: request index, kind, line text (with its newline)
 * Returns the number of results written.
 */
export const BATCH_RECORD_LUA = `${TERMINAL}
local st = redis.call('HGET', KEYS[1], 'status')
if not st or terminal(st) then return 0 end
local n = 0
for i = 1, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then
    n = n + 1
    local text = ARGV[i + 2]
    if ARGV[i + 1] == 'c' then
      redis.call('RPUSH', KEYS[5], text)
      redis.call('HINCRBY', KEYS[1], 'completed', 1)
      redis.call('HINCRBY', KEYS[1], 'out_lines', 1)
      redis.call('HINCRBY', KEYS[1], 'out_bytes', #text)
    else
      redis.call('RPUSH', KEYS[6], text)
      if ARGV[i + 1] == 'f' then redis.call('HINCRBY', KEYS[1], 'failed', 1) end
      redis.call('HINCRBY', KEYS[1], 'err_lines', 1)
      redis.call('HINCRBY', KEYS[1], 'err_bytes', #text)
    end
    if redis.call('SREM', KEYS[3], ARGV[i]) == 1 then
      if redis.call('DECR', KEYS[4]) < 0 then redis.call('SET', KEYS[4], 0) end
    end
  end
end
return n
`;

/**
 * cancel: the caller cancels. Validating or running batches turn cancelling
 * (their runner then cancels the jobs and finalizes); repeats are no-ops.
 * KEYS[1] batch hash. ARGV[1] now (ms)
 * Returns {code, status}: 1 cancelling, 0 no such batch, -1 too late (ended or finalizing).
 */
export const BATCH_CANCEL_LUA = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {0, ''} end
if st == 'cancelling' then return {1, st} end
if st ~= 'validating' and st ~= 'in_progress' then return {-1, st} end
redis.call('HSET', KEYS[1], 'status', 'cancelling', 'cancelling_at', ARGV[1])
return {1, st}
`;

/**
 * expire: the completion window ran out; the runner cancels what is left.
 * KEYS[1] batch hash. ARGV[1] owner, ARGV[2] now (ms)
 * Returns 1 expiring, -1 lease lost, -2 not validating or in progress.
 */
export const BATCH_EXPIRE_LUA = `
local f = redis.call('HMGET', KEYS[1], 'lease_owner', 'status')
if f[1] ~= ARGV[1] then return -1 end
if f[2] ~= 'validating' and f[2] ~= 'in_progress' then return -2 end
redis.call('HSET', KEYS[1], 'status', 'finalizing', 'finalizing_at', ARGV[2], 'ending', 'expired')
return 1
`;

/**
 * finalize: every request has its result; the batch ends completed,
 * cancelled or expired (decided here, from its status), its output and error
 * files appear (when not empty), and what only running needed is dropped.
 * KEYS[1] batch hash, KEYS[2] results hash, KEYS[3] pending set, KEYS[4]
 * requests list, KEYS[5] output file meta, KEYS[6] output file chunks,
 * KEYS[7] error file meta, KEYS[8] error file chunks, KEYS[9] tenant's file index
 * ARGV[1] owner, ARGV[2] now (ms), ARGV[3] retention (ms)
 * Returns {code, status}: 1 ended, -1 lease lost, -2 already ended, -3 results missing.
 */
export const BATCH_FINALIZE_LUA = `${TERMINAL}
local f = redis.call('HMGET', KEYS[1], 'lease_owner', 'status', 'total', 'out_lines', 'err_lines',
  'out_bytes', 'err_bytes', 'output_file_id', 'error_file_id', 'ending', 'id')
if f[1] ~= ARGV[1] then return {-1, ''} end
if terminal(f[2]) then return {-2, f[2]} end
if redis.call('HLEN', KEYS[2]) < tonumber(f[3] or '0') then return {-3, f[2]} end
local final = 'completed'
if f[2] == 'cancelling' then final = 'cancelled' elseif f[10] == 'expired' then final = 'expired' end
redis.call('HSET', KEYS[1], 'status', final, final .. '_at', ARGV[2])
if not redis.call('HGET', KEYS[1], 'finalizing_at') then redis.call('HSET', KEYS[1], 'finalizing_at', ARGV[2]) end
redis.call('HDEL', KEYS[1], 'lease_owner', 'lease_until')
local function publish(meta, chunks, id, lines, bytes, name)
  if tonumber(lines or '0') == 0 then
    redis.call('DEL', chunks)
    return
  end
  redis.call('HSET', meta, 'id', id, 'bytes', bytes, 'lines', lines, 'created_at', ARGV[2],
    'filename', f[11] .. '_' .. name .. '.jsonl', 'purpose', 'batch_output')
  redis.call('PEXPIRE', meta, ARGV[3])
  redis.call('PEXPIRE', chunks, ARGV[3])
  redis.call('ZADD', KEYS[9], 0, id)
end
publish(KEYS[5], KEYS[6], f[8], f[4], f[6], 'output')
publish(KEYS[7], KEYS[8], f[9], f[5], f[7], 'error')
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, final}
`;

/**
 * file commit: an upload's chunks are complete; the file appears.
 * KEYS[1] file meta, KEYS[2] file chunks, KEYS[3] tenant's file index
 * ARGV[1] id, ARGV[2] bytes, ARGV[3] lines, ARGV[4] created (ms), ARGV[5]
 * filename, ARGV[6] purpose, ARGV[7] retention (ms), ARGV[8] index entries
 * below this id are trimmed (expired)
 * Returns 1.
 */
export const FILE_COMMIT_LUA = `
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'bytes', ARGV[2], 'lines', ARGV[3], 'created_at', ARGV[4],
  'filename', ARGV[5], 'purpose', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[7])
redis.call('ZREMRANGEBYLEX', KEYS[3], '-', '(' .. ARGV[8])
redis.call('ZADD', KEYS[3], 0, ARGV[1])
return 1
`;
