--[[
  batch record: results of requests, each written once: the first result of a
  request wins, so counts stay exact however many processes report it. Kind c
  (completed) goes to the output file; f (failed, counted) and x (not run:
  batch cancelled or expired, not counted) go to the error file.

  KEYS
    [1] batchKey         the batch hash
    [2] resultsKey       the results hash
    [3] pendingKey       the pending set
    [4] outstandingKey   the tenant's outstanding counter
    [5] outChunksKey     the output file's chunks
    [6] errChunksKey     the error file's chunks
  ARGV
    [1..] results, 3 values each: request index, kind, line text (with its newline)
  Returns
    the number of results written
]]
--@include includes/batch-terminal.lua
local batchKey = KEYS[1]
local resultsKey = KEYS[2]
local pendingKey = KEYS[3]
local outstandingKey = KEYS[4]
local outChunksKey = KEYS[5]
local errChunksKey = KEYS[6]

local st = redis.call('HGET', batchKey, 'status')
if not st or terminal(st) then return 0 end
local n = 0
for i = 1, #ARGV, 3 do
  if redis.call('HSETNX', resultsKey, ARGV[i], ARGV[i + 1]) == 1 then
    n = n + 1
    local text = ARGV[i + 2]
    if ARGV[i + 1] == 'c' then
      redis.call('RPUSH', outChunksKey, text)
      redis.call('HINCRBY', batchKey, 'completed', 1)
      redis.call('HINCRBY', batchKey, 'out_lines', 1)
      redis.call('HINCRBY', batchKey, 'out_bytes', #text)
    else
      redis.call('RPUSH', errChunksKey, text)
      if ARGV[i + 1] == 'f' then redis.call('HINCRBY', batchKey, 'failed', 1) end
      redis.call('HINCRBY', batchKey, 'err_lines', 1)
      redis.call('HINCRBY', batchKey, 'err_bytes', #text)
    end
    if redis.call('SREM', pendingKey, ARGV[i]) == 1 then
      if redis.call('DECR', outstandingKey) < 0 then redis.call('SET', outstandingKey, 0) end
    end
  end
end
return n
