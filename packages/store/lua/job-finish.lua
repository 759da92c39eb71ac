--[[
  job finish: the job reaches a terminal status (succeeded, failed or canceled).

  Besides the record it counts the tenant's usage for the day, releases the
  tenant's active-job slot and, when the job has a webhook, appends the event
  to the webhook outbox: all in the same atomic step, so none of them can be
  lost or counted twice. The payload gets `out` (always, '' for none: a
  finished job's payload without `out` has expired) and its own expiry; the
  record keeps the id of the `done` event as `done_id`.

  KEYS
    [1] recordKey            the job hash
    [2] eventsKey            the job's event stream
    [3] tenantIndexKey       the tenant's job index (zset, all scores 0, ordered
                             by job id, which sorts by creation time)
    [4] activeKey            the tenant's active-job counter
    [5] usageKey             the tenant's usage hash of the day
    [6] outboxKey            the webhook outbox stream
    [7] payloadKey           the job's payload hash (`in`, `out`)
  ARGV
    [1] now                  ms
    [2] status               the new status
    [3] retentionMs          the record's retention
    [4] eventsChannel        pub/sub channel of job events
    [5] jobId
    [6] eventsMaxLen         the event stream's max length
    [7] allowedBefore        statuses allowed before (comma list)
    [8] trimBelow            smallest job id still within retention (index
                             entries below it are trimmed; '' to skip trimming
                             this time)
    [9] inputTokens
    [10] outputTokens
    [11] usageRetentionMs
    [12] lastTokens          data of a last token event to append before the
                             status ('' for none: the attempt's final tokens
                             ride along instead of costing a round trip of
                             their own)
    [13] cancelChannel       a canceled job's id is published there, so the
                             worker running it aborts the backend call
    [14] payloadRetentionMs  at most the retention
    [15] eventsRetentionMs   how long late SSE readers replay from the stream,
                             after which they replay from the record
    [16] output              the output as stored ('' for none)
    [17..] extra field/value pairs for the record, read as unpack(ARGV, 17)
  Returns
    {1, previous status}  written
    {0, ''}               no such record
    {-1, status}          already terminal
    {-2, status}          previous status not allowed
]]
local recordKey = KEYS[1]
local eventsKey = KEYS[2]
local tenantIndexKey = KEYS[3]
local activeKey = KEYS[4]
local usageKey = KEYS[5]
local outboxKey = KEYS[6]
local payloadKey = KEYS[7]
local now = ARGV[1]
local status = ARGV[2]
local retentionMs = ARGV[3]
local eventsChannel = ARGV[4]
local jobId = ARGV[5]
local eventsMaxLen = ARGV[6]
local allowedBefore = ARGV[7]
local trimBelow = ARGV[8]
local inputTokens = ARGV[9]
local outputTokens = ARGV[10]
local usageRetentionMs = ARGV[11]
local lastTokens = ARGV[12]
local cancelChannel = ARGV[13]
local payloadRetentionMs = ARGV[14]
local eventsRetentionMs = ARGV[15]
local output = ARGV[16]

local f = redis.call('HMGET', recordKey, 'status', 'model', 'webhook')
local st = f[1]
if not st then return {0, ''} end
if st == 'succeeded' or st == 'failed' or st == 'canceled' then return {-1, st} end
if not string.find(',' .. allowedBefore .. ',', ',' .. st .. ',', 1, true) then return {-2, st} end
if lastTokens ~= '' then
  redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'token', 'data', lastTokens)
end
redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'status', 'data', '{"status":"' .. status .. '"}')
local done_id = redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'done', 'data', '')
redis.call('HSET', recordKey, 'status', status, 'completed_at', now, 'done_id', done_id, unpack(ARGV, 17))
redis.call('PEXPIRE', recordKey, retentionMs)
redis.call('PEXPIRE', eventsKey, eventsRetentionMs)
redis.call('HSET', payloadKey, 'out', output)
redis.call('PEXPIRE', payloadKey, payloadRetentionMs)
if trimBelow ~= '' then redis.call('ZREMRANGEBYLEX', tenantIndexKey, '-', '(' .. trimBelow) end
if redis.call('DECR', activeKey) < 0 then redis.call('SET', activeKey, 0) end
-- The day's hash gets its expiry with its model's first job; later jobs leave it be.
if redis.call('HINCRBY', usageKey, f[2] .. '|jobs', 1) == 1 then redis.call('PEXPIRE', usageKey, usageRetentionMs) end
if inputTokens ~= '0' then redis.call('HINCRBY', usageKey, f[2] .. '|input_tokens', inputTokens) end
if outputTokens ~= '0' then redis.call('HINCRBY', usageKey, f[2] .. '|output_tokens', outputTokens) end
if f[3] then
  redis.call('XADD', outboxKey, 'MAXLEN', '~', '1000000', '*', 'job', jobId, 'event', status, 'at', now)
end
redis.call('PUBLISH', eventsChannel, jobId)
if status == 'canceled' then redis.call('PUBLISH', cancelChannel, jobId) end
return {1, st}
