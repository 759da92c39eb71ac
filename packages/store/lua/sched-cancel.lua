--[[
  scheduler cancel: takes a canceled job out of its tenant's backlog.

  KEYS
    [1] (routing only) the pool's inflight hash
  ARGV
    [1] base     the pool's key base (read by the prelude)
    [2] jobId
    [3] level
    [4] tenant
  Returns
    1 removed from the backlog
    2 already handed to BullMQ (in flight)
    0 neither
]]
--@include includes/scheduler-common.lua
local jobId = ARGV[2]
local level = ARGV[3]
local tenant = ARGV[4]

if unqueue(level, tenant, jobId) then return 1 end
if redis.call('HEXISTS', inflightKey, jobId) == 1 then return 2 end
return 0
