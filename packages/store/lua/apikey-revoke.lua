--[[
  api key revoke: drops a key by id from both hashes and tells every api process.

  KEYS
    [1] byHashKey   key digest -> {id, tenant} (apiKeys)
    [2] byIdKey     key id -> {tenant, hash, created_at} (apiKeyIds)
  ARGV
    [1] keyId
    [2] securityChannel   the security pub/sub channel
  Returns
    the revoked key's digest
    false (nil) when there is no such key
]]
local byHashKey = KEYS[1]
local byIdKey = KEYS[2]
local keyId = ARGV[1]
local securityChannel = ARGV[2]

local v = redis.call('HGET', byIdKey, keyId)
if not v then return false end
local hash = cjson.decode(v).hash
redis.call('HDEL', byHashKey, hash)
redis.call('HDEL', byIdKey, keyId)
redis.call('PUBLISH', securityChannel, 'key:' .. hash)
return hash
