--[[
  batch requests: validation appends validated requests, in order. Fenced, and
  only at the expected position, so a repeat can never duplicate a request.

  KEYS
    [1] batchKey      the batch hash
    [2] requestsKey   the requests list
  ARGV
    [1] owner
    [2] expectedLen   length before (0 empties the list first: validation starts over)
    [3..] entries     appended as unpack(ARGV, 3)
  Returns
    1 appended
    -1 lease lost
    -2 not validating
    -3 wrong position
]]
local batchKey = KEYS[1]
local requestsKey = KEYS[2]
local owner = ARGV[1]
local expectedLen = ARGV[2]

if redis.call('HGET', batchKey, 'lease_owner') ~= owner then return -1 end
if redis.call('HGET', batchKey, 'status') ~= 'validating' then return -2 end
if expectedLen == '0' then redis.call('DEL', requestsKey)
elseif redis.call('LLEN', requestsKey) ~= tonumber(expectedLen) then return -3 end
if #ARGV > 2 then redis.call('RPUSH', requestsKey, unpack(ARGV, 3)) end
return 1
