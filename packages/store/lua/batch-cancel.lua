--[[
  batch cancel: the caller cancels. Validating or running batches turn
  cancelling (their runner then cancels the jobs and finalizes); repeats are
  no-ops.

  KEYS
    [1] batchKey   the batch hash
  ARGV
    [1] nowMs
  Returns
    {1, status}  cancelling
    {0, ''}      no such batch
    {-1, status} too late (ended or finalizing)
]]
local batchKey = KEYS[1]
local nowMs = ARGV[1]

local st = redis.call('HGET', batchKey, 'status')
if not st then return {0, ''} end
if st == 'cancelling' then return {1, st} end
if st ~= 'validating' and st ~= 'in_progress' then return {-1, st} end
redis.call('HSET', batchKey, 'status', 'cancelling', 'cancelling_at', nowMs)
return {1, st}
