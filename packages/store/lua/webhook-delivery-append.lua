--[[
  webhook delivery append: adds one attempt to the job record's `deliveries`
  field (a JSON array), trimmed to the newest `keepMax` entries. A record that
  expired stays gone: writing to it would resurrect a hash with no TTL.

  KEYS
    [1] recordKey   the job hash
  ARGV
    [1] attempt     the attempt (JSON object)
    [2] keepMax     entries kept at most
  Returns
    the number of entries now kept
    0 when there is no record
]]
local recordKey = KEYS[1]
local attempt = ARGV[1]
local keepMax = ARGV[2]

if redis.call('EXISTS', recordKey) == 0 then return 0 end
local raw = redis.call('HGET', recordKey, 'deliveries')
local list = {}
if raw then list = cjson.decode(raw) end
table.insert(list, cjson.decode(attempt))
local keep = tonumber(keepMax)
while #list > keep do table.remove(list, 1) end
redis.call('HSET', recordKey, 'deliveries', cjson.encode(list))
return #list
