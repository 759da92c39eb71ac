--[[
  scheduler finish: jobs handed to BullMQ ended (or were taken back); their
  slots free up, each tenant's charge is corrected from the estimate to the
  real tokens, then the pool picks while it has free slots. The job may be in
  flight or waiting out a retry delay; an id in neither is skipped, so a
  repeated finish corrects nothing twice.

  KEYS
    [1] (routing only) the pool's inflight hash
  ARGV
    [1] base   the pool's key base (read by the prelude)
    [2] nowMs
    [3..] jobs, 2 values each: id, real tokens ('' keeps the estimate; 0 refunds it)
  Returns
    {promoted, expired} (see pick in includes/scheduler-common.lua)
]]
--@include includes/scheduler-common.lua
local nowMs = ARGV[2]

local ended = {}
for i = 3, #ARGV, 2 do
  local from = inflightKey
  local entry = redis.call('HGET', inflightKey, ARGV[i])
  if not entry then
    from = retryingKey
    entry = redis.call('HGET', retryingKey, ARGV[i])
  end
  if entry then
    redis.call('HDEL', from, ARGV[i])
    local level, tenant, est, w = string.match(entry, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|')
    ended[level .. '|' .. tenant] = (ended[level .. '|' .. tenant] or 0) - tonumber(est) / tonumber(w)
    if ARGV[i+1] ~= '' then
      local delta = (tonumber(ARGV[i+1]) - tonumber(est)) / tonumber(w)
      if delta ~= 0 and not redis.call('ZADD', readyKey(level), 'XX', 'INCR', fmt(delta), tenant) then
        redis.call('HINCRBYFLOAT', savedKey, level .. '|' .. tenant, fmt(delta))
      end
    end
  end
end
return pick(tonumber(nowMs), ended)
