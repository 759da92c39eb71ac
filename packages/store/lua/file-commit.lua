--[[
  file commit: an upload's chunks are complete; the file appears.

  KEYS
    [1] metaKey       the file's meta hash
    [2] chunksKey     the file's chunks
    [3] fileIndexKey  the tenant's file index
  ARGV
    [1] id
    [2] bytes
    [3] lines
    [4] createdMs
    [5] filename
    [6] purpose
    [7] retentionMs
    [8] trimBelow     index entries below this id are trimmed (expired)
  Returns
    1
]]
local metaKey = KEYS[1]
local chunksKey = KEYS[2]
local fileIndexKey = KEYS[3]
local id = ARGV[1]
local bytes = ARGV[2]
local lines = ARGV[3]
local createdMs = ARGV[4]
local filename = ARGV[5]
local purpose = ARGV[6]
local retentionMs = ARGV[7]
local trimBelow = ARGV[8]

redis.call('HSET', metaKey, 'id', id, 'bytes', bytes, 'lines', lines, 'created_at', createdMs,
  'filename', filename, 'purpose', purpose)
redis.call('PEXPIRE', metaKey, retentionMs)
redis.call('PEXPIRE', chunksKey, retentionMs)
redis.call('ZREMRANGEBYLEX', fileIndexKey, '-', '(' .. trimBelow)
redis.call('ZADD', fileIndexKey, 0, id)
return 1
