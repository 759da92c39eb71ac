/**
 * Every job record state transition is one Lua script, so a late or duplicate
 * attempt can never overwrite a terminal status: the guard and the write are
 * atomic. Each script also appends to the job's event stream and publishes the
 * job id on the events channel, in the same round trip.
 */

/**
 * start: a worker takes the job for an attempt.
 * KEYS[1] job hash, KEYS[2] job event stream, KEYS[3] webhook outbox stream
 * ARGV[1] now (ms), ARGV[2] attempt (1-based), ARGV[3] events channel,
 * ARGV[4] job id, ARGV[5] event stream max length
 * Returns {code, req, created_at, model}: code 1 started, 0 no such record,
 * -1 already terminal (then only the code).
 */
export const START_LUA = `
local f = redis.call('HMGET', KEYS[1], 'status', 'req', 'created_at', 'model', 'webhook', 'first_started_at')
local st = f[1]
if not st then return {0} end
if st == 'succeeded' or st == 'failed' or st == 'canceled' then return {-1} end
if f[6] then
  redis.call('HSET', KEYS[1], 'status', 'running', 'started_at', ARGV[1], 'attempts', ARGV[2])
else
  redis.call('HSET', KEYS[1], 'status', 'running', 'started_at', ARGV[1], 'attempts', ARGV[2], 'first_started_at', ARGV[1])
end
if st ~= 'running' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'type', 'status', 'data', '{"status":"running"}')
  if f[5] then
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', '1000000', '*', 'job', ARGV[4], 'event', 'running', 'at', ARGV[1])
  end
  redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return {1, f[2], f[3], f[4]}
`;

/**
 * finish: the job reaches a terminal status (succeeded, failed or canceled).
 * Besides the record it counts the tenant's usage for the day, releases the
 * tenant's active-job slot and, when the job has a webhook, appends the event
 * to the webhook outbox: all in the same atomic step, so none of them can be
 * lost or counted twice.
 * KEYS[1] job hash, KEYS[2] job event stream, KEYS[3] tenant index (zset, all
 * scores 0, ordered by job id, which sorts by creation time), KEYS[4] tenant
 * active-job counter, KEYS[5] tenant usage hash of the day, KEYS[6] webhook
 * outbox stream, KEYS[7] job payload hash (`in`, `out`)
 * ARGV[1] now (ms), ARGV[2] new status, ARGV[3] retention (ms), ARGV[4] events channel,
 * ARGV[5] job id, ARGV[6] event stream max length, ARGV[7] statuses allowed before
 * (comma list), ARGV[8] smallest job id still within retention (index entries
 * below it are trimmed; '' to skip trimming this time), ARGV[9] input tokens, ARGV[10] output tokens,
 * ARGV[11] usage retention (ms), ARGV[12] data of a last token event to append
 * before the status ('' for none: the attempt's final tokens ride along instead
 * of costing a round trip of their own), ARGV[13] cancel channel (a canceled
 * job's id is published there, so the worker running it aborts the backend
 * call), ARGV[14] payload retention (ms, at most the retention), ARGV[15]
 * event stream retention (ms: how long late SSE readers replay from the
 * stream, after which they replay from the record), ARGV[16] the output as
 * stored ('' for none), ARGV[17..] extra field/value pairs for the hash.
 * The payload gets `out` (always, '' for none: a finished job's payload
 * without `out` has expired) and its own expiry; the record keeps the id of
 * the `done` event as `done_id`.
 * Returns {code, previous status}: 1 written, 0 no such record, -1 already
 * terminal, -2 previous status not allowed.
 */
export const FINISH_LUA = `
local f = redis.call('HMGET', KEYS[1], 'status', 'model', 'webhook')
local st = f[1]
if not st then return {0, ''} end
if st == 'succeeded' or st == 'failed' or st == 'canceled' then return {-1, st} end
if not string.find(',' .. ARGV[7] .. ',', ',' .. st .. ',', 1, true) then return {-2, st} end
if ARGV[12] ~= '' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'type', 'token', 'data', ARGV[12])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'type', 'status', 'data', '{"status":"' .. ARGV[2] .. '"}')
local done_id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', 'type', 'done', 'data', '')
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'completed_at', ARGV[1], 'done_id', done_id, unpack(ARGV, 17))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[15])
redis.call('HSET', KEYS[7], 'out', ARGV[16])
redis.call('PEXPIRE', KEYS[7], ARGV[14])
if ARGV[8] ~= '' then redis.call('ZREMRANGEBYLEX', KEYS[3], '-', '(' .. ARGV[8]) end
if redis.call('DECR', KEYS[4]) < 0 then redis.call('SET', KEYS[4], 0) end
-- The day's hash gets its expiry with its model's first job; later jobs leave it be.
if redis.call('HINCRBY', KEYS[5], f[2] .. '|jobs', 1) == 1 then redis.call('PEXPIRE', KEYS[5], ARGV[11]) end
if ARGV[9] ~= '0' then redis.call('HINCRBY', KEYS[5], f[2] .. '|input_tokens', ARGV[9]) end
if ARGV[10] ~= '0' then redis.call('HINCRBY', KEYS[5], f[2] .. '|output_tokens', ARGV[10]) end
if f[3] then
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', '1000000', '*', 'job', ARGV[5], 'event', ARGV[2], 'at', ARGV[1])
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
if ARGV[2] == 'canceled' then redis.call('PUBLISH', ARGV[13], ARGV[5]) end
return {1, st}
`;

/**
 * requeue: a running attempt failed with a retryable error; the job waits for
 * its next attempt.
 * KEYS[1] job hash, KEYS[2] job event stream
 * ARGV[1] last error (JSON), ARGV[2] events channel, ARGV[3] job id,
 * ARGV[4] event stream max length
 * Returns 1 requeued, 0 no such record, -1 not running (terminal or already queued).
 */
export const REQUEUE_LUA = `
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return 0 end
if st ~= 'running' then return -1 end
redis.call('HSET', KEYS[1], 'status', 'queued', 'last_error', ARGV[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', 'status', 'data', '{"status":"queued"}')
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`;

/**
 * tokens: a running attempt appends a batch of streamed text to the job's
 * event stream. Guarded, so tokens of a canceled, finished, requeued or
 * taken-over attempt never land after the job moved on.
 * KEYS[1] job hash, KEYS[2] job event stream
 * ARGV[1] attempt (1-based) the text belongs to, ARGV[2] event data (JSON
 * `{"text"}`), ARGV[3] tokens channel, ARGV[4] job id, ARGV[5] event stream max
 * length, ARGV[6] time to first token of this attempt (ms), or '' to leave it
 * Returns 1 appended, 0 the job is not running this attempt (nothing written).
 */
export const TOKENS_LUA = `
local f = redis.call('HMGET', KEYS[1], 'status', 'attempts')
if f[1] ~= 'running' or f[2] ~= ARGV[1] then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'type', 'token', 'data', ARGV[2])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'ttft_ms', ARGV[6]) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`;
