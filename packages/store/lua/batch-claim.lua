--[[
  batch claim: requests [from, to) have their jobs (created just before): they
  become pending, except those already recorded (a job that finished at once,
  or a request answered without a job), and the feed moves on to `to`.

  KEYS
    [1] batchKey         the batch hash
    [2] resultsKey       the results hash
    [3] pendingKey       the pending set
    [4] outstandingKey   the tenant's outstanding counter
  ARGV
    [1] owner
    [2] from
    [3] to
  Returns
    the number made pending
    -1 lease lost
    -2 batch ended
    -3 the feed is not at `from`
]]
--@include includes/batch-terminal.lua
local batchKey = KEYS[1]
local resultsKey = KEYS[2]
local pendingKey = KEYS[3]
local outstandingKey = KEYS[4]
local owner = ARGV[1]
local from = ARGV[2]
local to = ARGV[3]

local f = redis.call('HMGET', batchKey, 'lease_owner', 'status', 'next_line')
if f[1] ~= owner then return -1 end
if terminal(f[2]) then return -2 end
if tonumber(f[3] or '0') ~= tonumber(from) then return -3 end
local added = 0
for i = tonumber(from), tonumber(to) - 1 do
  if redis.call('HEXISTS', resultsKey, i) == 0 then
    redis.call('SADD', pendingKey, i)
    added = added + 1
  end
end
redis.call('HSET', batchKey, 'next_line', to)
if added > 0 then redis.call('INCRBY', outstandingKey, added) end
return added
