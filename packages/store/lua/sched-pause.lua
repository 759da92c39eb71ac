--[[
  scheduler pause: jobs in flight go to wait out a retry delay (or were handed
  back by a draining worker): their slots go to the next jobs in the order of
  service (a job in backoff uses no GPU), their charge stays until they finish.

  KEYS
    [1] (routing only) the pool's inflight hash
  ARGV
    [1] base   the pool's key base (read by the prelude)
    [2] nowMs
    [3..] ids  the jobs pausing
  Returns
    {picked, expired} (see pick in includes/scheduler-common.lua)
]]
--@include includes/scheduler-common.lua
local nowMs = ARGV[2]

for i = 3, #ARGV do
  local entry = redis.call('HGET', inflightKey, ARGV[i])
  if entry then
    redis.call('HDEL', inflightKey, ARGV[i])
    redis.call('HSET', base .. 'retrying', ARGV[i], entry)
  end
end
return pick(nowMs)
