--[[
  batch validated: validation ends. With errors the batch fails (nothing
  runs); without, it starts with `total` requests.

  KEYS
    [1] batchKey      the batch hash
    [2] requestsKey   the requests list
  ARGV
    [1] owner
    [2] nowMs
    [3] total
    [4] errors        JSON list, '' for none
    [5] retentionMs
  Returns
    1 done
    -1 lease lost
    -2 no longer validating (cancelled meanwhile)
    -3 list length differs
]]
local batchKey = KEYS[1]
local requestsKey = KEYS[2]
local owner = ARGV[1]
local nowMs = ARGV[2]
local total = ARGV[3]
local errors = ARGV[4]
local retentionMs = ARGV[5]

if redis.call('HGET', batchKey, 'lease_owner') ~= owner then return -1 end
if redis.call('HGET', batchKey, 'status') ~= 'validating' then return -2 end
if errors ~= '' then
  redis.call('HSET', batchKey, 'status', 'failed', 'failed_at', nowMs, 'errors', errors, 'total', 0)
  redis.call('HDEL', batchKey, 'lease_owner', 'lease_until')
  redis.call('DEL', requestsKey)
  redis.call('PEXPIRE', batchKey, retentionMs)
  return 1
end
if redis.call('LLEN', requestsKey) ~= tonumber(total) then return -3 end
redis.call('HSET', batchKey, 'status', 'in_progress', 'in_progress_at', nowMs, 'total', total, 'next_line', 0)
return 1
