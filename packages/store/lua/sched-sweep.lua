--[[
  scheduler sweep: takes the jobs whose deadline passed out of their backlogs
  (the caller fails their records deadline_exceeded), at most 200 a call.

  KEYS
    [1] (routing only) the pool's deadlines zset
  ARGV
    [1] base   the pool's key base (read by the prelude)
    [2] nowMs
  Returns
    id, tenant pairs of the jobs taken out
]]
--@include includes/scheduler-common.lua
local nowMs = ARGV[2]

local out = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', base .. 'deadlines', '-inf', nowMs, 'LIMIT', 0, 200)) do
  local level, tenant, id = string.match(m, '^([^|]*)|([^|]*)|(.*)$')
  redis.call('ZREM', base .. 'deadlines', m)
  if unqueue(level, tenant, id) then
    out[#out + 1] = id
    out[#out + 1] = tenant
  end
end
return out
