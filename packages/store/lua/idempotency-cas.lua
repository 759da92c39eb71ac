--[[
  idempotency compare-and-set: moves a key from one value to the next (or
  deletes it when the new value is empty) only if it still holds the
  caller's value.

  KEYS
    [1] idemKey    the idempotency key
  ARGV
    [1] expected   the value it must hold
    [2] nextValue  the new value, or '' to delete it
    [3] ttlMs
  Returns
    1 written
    0 the key held something else
]]
local idemKey = KEYS[1]
local expected = ARGV[1]
local nextValue = ARGV[2]
local ttlMs = ARGV[3]

if redis.call('GET', idemKey) ~= expected then return 0 end
if nextValue == '' then redis.call('DEL', idemKey) else redis.call('SET', idemKey, nextValue, 'PX', ttlMs) end
return 1
