--[[
  batch expire: the completion window ran out; the runner cancels what is left.

  KEYS
    [1] batchKey   the batch hash
  ARGV
    [1] owner
    [2] nowMs
  Returns
    1 expiring
    -1 lease lost
    -2 not validating or in progress
]]
local batchKey = KEYS[1]
local owner = ARGV[1]
local nowMs = ARGV[2]

local f = redis.call('HMGET', batchKey, 'lease_owner', 'status')
if f[1] ~= owner then return -1 end
if f[2] ~= 'validating' and f[2] ~= 'in_progress' then return -2 end
redis.call('HSET', batchKey, 'status', 'finalizing', 'finalizing_at', nowMs, 'ending', 'expired')
return 1
