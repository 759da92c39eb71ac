--[[
  scheduler resume: a job's next attempt starts; it takes a slot again (the
  pool may run over its capacity by the jobs resuming at once, never by more).
  While a job waits out a retry delay it holds no slot (it uses no GPU).

  KEYS
    [1] (routing only) the pool's inflight hash
  ARGV
    [1] base    the pool's key base
    [2] jobId
  Returns
    1 resumed
    0 it was not waiting out a retry
]]
local base = ARGV[1]
local jobId = ARGV[2]

local entry = redis.call('HGET', base .. 'retrying', jobId)
if not entry then return 0 end
redis.call('HDEL', base .. 'retrying', jobId)
redis.call('HSET', base .. 'inflight', jobId, entry)
return 1
