--[[
  job start: a worker takes the job for an attempt.

  Every job record state transition is one script, so a late or duplicate
  attempt can never overwrite a terminal status: the guard and the write are
  atomic. Each one also appends to the job's event stream and publishes the
  job id on the events channel, in the same round trip.

  KEYS
    [1] recordKey       the job hash
    [2] eventsKey       the job's event stream
    [3] outboxKey       the webhook outbox stream
  ARGV
    [1] now             ms
    [2] attempt         1-based
    [3] eventsChannel   pub/sub channel of job events
    [4] jobId
    [5] eventsMaxLen    the event stream's max length
  Returns
    {1, req, created_at, model} started
    {0}  no such record
    {-1} already terminal
]]
local recordKey = KEYS[1]
local eventsKey = KEYS[2]
local outboxKey = KEYS[3]
local now = ARGV[1]
local attempt = ARGV[2]
local eventsChannel = ARGV[3]
local jobId = ARGV[4]
local eventsMaxLen = ARGV[5]

local f = redis.call('HMGET', recordKey, 'status', 'req', 'created_at', 'model', 'webhook', 'first_started_at')
local st = f[1]
if not st then return {0} end
if st == 'succeeded' or st == 'failed' or st == 'canceled' then return {-1} end
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
  redis.call('PUBLISH', eventsChannel, jobId)
end
return {1, f[2], f[3], f[4]}
