--[[
  job start: a worker takes jobs for an attempt each, one pool's jobs of one
  event-loop turn in one call (one round trip, one read for Redis).

  Every job record state transition is one script, so a late or duplicate
  attempt can never overwrite a terminal status: the guard and the write are
  atomic. Each started job also appends to its event stream; the ids of the
  call's jobs that changed status go out in one message on the events channel
  (space-separated, see eventsChannel in core's keys.ts). The job's input
  comes back beside its record, so the worker needs no second read.

  KEYS
    [1] outboxKey   the webhook outbox stream (the pool's)
    [2..] three per job, in the order of the jobs in ARGV: the job hash, its
          event stream, the job's payload hash
  ARGV
    [1] now             ms
    [2] eventsChannel   pub/sub channel of job events (the pool's)
    [3] eventsMaxLen    the event streams' max length
    [4..] two per job: jobId, attempt (1-based)
  Returns
    the jobs' entries, in order, in one flat array (a table per job cost
    Redis more to build and encode than the rest of the reply):
    1, req, created_at, model, input  started (req: a record that still
                                      carries its request; input: the
                                      payload's `in`, either may be nil)
    0   no such record
    -1  already terminal
]]
local now = ARGV[1]
local eventsChannel = ARGV[2]
local eventsMaxLen = ARGV[3]
local outboxKey = KEYS[1]

local changed, results = {}, {}

local function start(recordKey, eventsKey, payloadKey, jobId, attempt)
  local f = redis.call('HMGET', recordKey, 'status', 'req', 'created_at', 'model', 'webhook', 'first_started_at')
  local st = f[1]
  local r = #results
  if not st then
    results[r + 1] = 0
    return
  end
  if st == 'succeeded' or st == 'failed' or st == 'canceled' then
    results[r + 1] = -1
    return
  end
  if f[6] then
    redis.call('HSET', recordKey, 'status', 'running', 'started_at', now, 'attempts', attempt)
  else
    redis.call('HSET', recordKey, 'status', 'running', 'started_at', now, 'attempts', attempt, 'first_started_at', now)
  end
  if st ~= 'running' then
    redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'status', 'data', '{"status":"running"}')
    if f[5] then
      redis.call('XADD', outboxKey, 'MAXLEN', '~', '1000000', '*', 'job', jobId, 'event', 'running', 'at', now)
    end
    changed[#changed + 1] = jobId
  end
  results[r + 1], results[r + 2], results[r + 3], results[r + 4] = 1, f[2] or false, f[3] or false, f[4] or false
  results[r + 5] = redis.call('HGET', payloadKey, 'in') or false
end

for i = 1, (#KEYS - 1) / 3 do
  local k, a = 1 + (i - 1) * 3, 3 + (i - 1) * 2
  start(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], ARGV[a + 1], ARGV[a + 2])
end
if #changed > 0 then redis.call('PUBLISH', eventsChannel, table.concat(changed, ' ')) end
return results
