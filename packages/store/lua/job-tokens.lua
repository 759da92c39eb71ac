--[[
  job tokens: a running attempt appends a batch of streamed text to the job's
  event stream. Guarded, so tokens of a canceled, finished, requeued or
  taken-over attempt never land after the job moved on.

  The message on tokensChannel carries the new entry when its data is at most
  inlineMax bytes, so an SSE relay that already sent the entry before it writes
  the event without reading the stream: `<jobId> <prevId> <entryId> <data>`
  (prevId '0-0' when the stream was empty). A bigger batch publishes
  `<jobId>` alone and relays read it. Either way the job id comes first and
  ends at the first space: an api that splits messages into ids (store's
  messageIds) wakes the job's relays as before.

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
    [7] inlineMax       the largest data (bytes) the message carries
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
local inlineMax = tonumber(ARGV[7])

local f = redis.call('HMGET', recordKey, 'status', 'attempts')
if f[1] ~= 'running' or f[2] ~= attempt then return 0 end
local message = jobId
if #data <= inlineMax then
  -- The entry before the new one: what a relay must have sent to write this one straight away.
  local last = redis.call('XREVRANGE', eventsKey, '+', '-', 'COUNT', 1)
  local prevId = last[1] and last[1][1] or '0-0'
  local entryId = redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'token', 'data', data)
  message = jobId .. ' ' .. prevId .. ' ' .. entryId .. ' ' .. data
else
  redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'token', 'data', data)
end
if ttftMs ~= '' then redis.call('HSET', recordKey, 'ttft_ms', ttftMs) end
redis.call('PUBLISH', tokensChannel, message)
return 1
