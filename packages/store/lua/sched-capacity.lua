--[[
  scheduler capacity: a worker process (re)states the slots it serves in the
  pool (0 when it leaves); entries past their expiry are dropped, the live sum
  is the pool's capacity; then the pool picks while it has free slots.

  KEYS
    [1] (routing only) the pool's workers hash
  ARGV
    [1] base       the pool's key base (read by the prelude)
    [2] nowMs
    [3] workerId
    [4] workerSlots  the slots it serves ('0' when it leaves)
    [5] expiresMs  when this entry expires (ms)
  Returns
    {picked, expired} (see pick in includes/scheduler-common.lua)
]]
--@include includes/scheduler-common.lua
local nowMs = ARGV[2]
local workerId = ARGV[3]
local workerSlots = ARGV[4]
local expiresMs = ARGV[5]

local workersKey = base .. 'workers'
if workerSlots == '0' then
  redis.call('HDEL', workersKey, workerId)
else
  redis.call('HSET', workersKey, workerId, workerSlots .. '|' .. expiresMs)
end
local now, total, all = tonumber(nowMs), 0, redis.call('HGETALL', workersKey)
for i = 1, #all, 2 do
  local slots, expires = string.match(all[i+1], '^(%d+)|(%d+)$')
  if tonumber(expires) < now then redis.call('HDEL', workersKey, all[i]) else total = total + tonumber(slots) end
end
state().cap = total
return pick(nowMs)
