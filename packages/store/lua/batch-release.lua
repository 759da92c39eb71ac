--[[
  batch release: give the lease back (a draining api), so another process
  takes over at once.

  KEYS
    [1] batchKey   the batch hash
  ARGV
    [1] owner
  Returns
    1 released
    0 not held
]]
local batchKey = KEYS[1]
local owner = ARGV[1]

if redis.call('HGET', batchKey, 'lease_owner') ~= owner then return 0 end
redis.call('HDEL', batchKey, 'lease_owner', 'lease_until')
return 1
