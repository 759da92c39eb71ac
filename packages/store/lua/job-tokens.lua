--[[
  job tokens: a running attempt appends a batch of streamed text to the job's
  event stream. Guarded, so tokens of a canceled, finished, requeued or
  taken-over attempt never land after the job moved on.

  KEYS
    [1] recordKey       the job hash
    [2] eventsKey       the job's event stream
  ARGV
    [1] attempt         1-based: the attempt the text belongs to
    [2] data            the event data (JSON `{"text"}`)
    [3] tokensChannel   pub/sub channel of token events
    [4] jobId
    [5] eventsMaxLen    the event stream's max length
    [6] ttftMs          time to first token of this attempt (ms), or '' to leave it
  Returns
    1 appended
    0 the job is not running this attempt (nothing written)
]]
local recordKey = KEYS[1]
local eventsKey = KEYS[2]
local attempt = ARGV[1]
local data = ARGV[2]
local tokensChannel = ARGV[3]
local jobId = ARGV[4]
local eventsMaxLen = ARGV[5]
local ttftMs = ARGV[6]

local f = redis.call('HMGET', recordKey, 'status', 'attempts')
if f[1] ~= 'running' or f[2] ~= attempt then return 0 end
redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'token', 'data', data)
if ttftMs ~= '' then redis.call('HSET', recordKey, 'ttft_ms', ttftMs) end
redis.call('PUBLISH', tokensChannel, jobId)
return 1
