--[[
  job requeue: a running attempt failed with a retryable error; the job waits
  for its next attempt.

  KEYS
    [1] recordKey       the job hash
    [2] eventsKey       the job's event stream
  ARGV
    [1] lastError       JSON
    [2] eventsChannel   pub/sub channel of job events
    [3] jobId
    [4] eventsMaxLen    the event stream's max length
  Returns
    1  requeued
    0  no such record
    -1 not running (terminal or already queued)
]]
local recordKey = KEYS[1]
local eventsKey = KEYS[2]
local lastError = ARGV[1]
local eventsChannel = ARGV[2]
local jobId = ARGV[3]
local eventsMaxLen = ARGV[4]

local st = redis.call('HGET', recordKey, 'status')
if not st then return 0 end
if st ~= 'running' then return -1 end
redis.call('HSET', recordKey, 'status', 'queued', 'last_error', lastError)
redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'status', 'data', '{"status":"queued"}')
redis.call('PUBLISH', eventsChannel, jobId)
return 1
