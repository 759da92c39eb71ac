--[[
  webhook secret rotate: the tenant's secret becomes `previous` (kept until
  `previousUntil`) and the new secret becomes `current`; a tenant with no
  secret yet just gets one.

  KEYS
    [1] secretKey       the tenant's secret hash (current, previous, previous_until)
  ARGV
    [1] secret          the new secret
    [2] previousUntil   until when the old one still signs (ms since epoch)
  Returns
    the new secret
]]
local secretKey = KEYS[1]
local secret = ARGV[1]
local previousUntil = ARGV[2]

local cur = redis.call('HGET', secretKey, 'current')
if cur then
  redis.call('HSET', secretKey, 'previous', cur, 'previous_until', previousUntil)
end
redis.call('HSET', secretKey, 'current', secret)
return secret
