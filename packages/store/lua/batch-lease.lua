--[[
  batch lease: take or renew the batch's lease.

  KEYS
    [1] batchKey   the batch hash
  ARGV
    [1] owner
    [2] nowMs
    [3] leaseMs    lease length
  Returns
    1 held
    0 held by another
    -1 batch ended
    -2 no such batch
]]
--@include includes/batch-terminal.lua
local batchKey = KEYS[1]
local owner = ARGV[1]
local nowMs = ARGV[2]
local leaseMs = ARGV[3]

local f = redis.call('HMGET', batchKey, 'status', 'lease_owner', 'lease_until')
if not f[1] then return -2 end
if terminal(f[1]) then return -1 end
if f[2] and f[2] ~= owner and tonumber(f[3] or '0') > tonumber(nowMs) then return 0 end
redis.call('HSET', batchKey, 'lease_owner', owner, 'lease_until', tonumber(nowMs) + tonumber(leaseMs))
return 1
