--[[
  job discard: takes back the records of an enqueue that failed (the api
  answered an error, so nobody knows the ids), one pool's jobs in one call.

  Each job releases its tenant's active count only while its record still
  counts there (queued or running): a record that never landed, that a
  failed create took back, that was discarded before, or that finished
  (job-finish.lua released it) releases nothing. So a discard can neither
  count a job twice nor drive a counter below the jobs it counts, and never
  below zero. The enqueue may have failed on a key of the wrong type: the
  index and counter writes go through redis.pcall, so such a key is left as
  it is and the other jobs are still taken back.

  KEYS
    [1..] five per job, in the order of the jobs in ARGV: the job hash, its
          event stream, its payload hash, the tenant's job index in the pool
          (zset), the tenant's active-job counter in the pool
  ARGV
    [1..] per job: jobId
  Returns
    the number of active counts released
]]

local released = 0
for i = 1, #ARGV do
  local k = (i - 1) * 5
  local st = redis.call('HGET', KEYS[k + 1], 'status')
  if st == 'queued' or st == 'running' then
    local n = redis.pcall('DECR', KEYS[k + 5])
    if type(n) == 'number' then
      if n < 0 then redis.call('SET', KEYS[k + 5], 0) end
      released = released + 1
    end
  end
  redis.call('UNLINK', KEYS[k + 1], KEYS[k + 2], KEYS[k + 3])
  redis.pcall('ZREM', KEYS[k + 4], ARGV[i])
end
return released
