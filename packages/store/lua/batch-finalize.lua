--[[
  batch finalize: every request has its result; the batch ends completed,
  cancelled or expired (decided here, from its status), its output and error
  files appear (when not empty), and what only running needed is dropped.

  KEYS
    [1] batchKey         the batch hash
    [2] resultsKey       the results hash
    [3] pendingKey       the pending set
    [4] requestsKey      the requests list
    [5] outMetaKey       the output file's meta
    [6] outChunksKey     the output file's chunks
    [7] errMetaKey       the error file's meta
    [8] errChunksKey     the error file's chunks
    [9] fileIndexKey     the tenant's file index
  ARGV
    [1] owner
    [2] nowMs
    [3] retentionMs
  Returns
    {1, status}  ended
    {-1, ''}     lease lost
    {-2, status} already ended
    {-3, status} results missing
]]
--@include includes/batch-terminal.lua
local batchKey = KEYS[1]
local resultsKey = KEYS[2]
local pendingKey = KEYS[3]
local requestsKey = KEYS[4]
local outMetaKey = KEYS[5]
local outChunksKey = KEYS[6]
local errMetaKey = KEYS[7]
local errChunksKey = KEYS[8]
local fileIndexKey = KEYS[9]
local owner = ARGV[1]
local nowMs = ARGV[2]
local retentionMs = ARGV[3]

local f = redis.call('HMGET', batchKey, 'lease_owner', 'status', 'total', 'out_lines', 'err_lines',
  'out_bytes', 'err_bytes', 'output_file_id', 'error_file_id', 'ending', 'id')
if f[1] ~= owner then return {-1, ''} end
if terminal(f[2]) then return {-2, f[2]} end
if redis.call('HLEN', resultsKey) < tonumber(f[3] or '0') then return {-3, f[2]} end
local final = 'completed'
if f[2] == 'cancelling' then final = 'cancelled' elseif f[10] == 'expired' then final = 'expired' end
redis.call('HSET', batchKey, 'status', final, final .. '_at', nowMs)
if not redis.call('HGET', batchKey, 'finalizing_at') then redis.call('HSET', batchKey, 'finalizing_at', nowMs) end
redis.call('HDEL', batchKey, 'lease_owner', 'lease_until')
local function publish(meta, chunks, id, lines, bytes, name)
  if tonumber(lines or '0') == 0 then
    redis.call('DEL', chunks)
    return
  end
  redis.call('HSET', meta, 'id', id, 'bytes', bytes, 'lines', lines, 'created_at', nowMs,
    'filename', f[11] .. '_' .. name .. '.jsonl', 'purpose', 'batch_output')
  redis.call('PEXPIRE', meta, retentionMs)
  redis.call('PEXPIRE', chunks, retentionMs)
  redis.call('ZADD', fileIndexKey, 0, id)
end
publish(outMetaKey, outChunksKey, f[8], f[4], f[6], 'output')
publish(errMetaKey, errChunksKey, f[9], f[5], f[7], 'error')
redis.call('DEL', resultsKey, pendingKey, requestsKey)
redis.call('PEXPIRE', batchKey, retentionMs)
return {1, final}
