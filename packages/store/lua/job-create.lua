--[[
  job create: a new queued job's record, its payload, its place in the
  tenant's index and the tenant's active count, in one call (four commands
  per job before: each cost the api a command object, its promises and its
  encoding). Appended to the enqueue transaction, beside the scheduler's
  submit. No event stream yet: the first transition opens it.

  KEYS
    [1] recordKey       the job hash
    [2] payloadKey      the job's payload hash
    [3] tenantJobsKey   the tenant's job index in the pool (sorted set)
    [4] tenantActiveKey the tenant's count of queued and running jobs in the pool
  ARGV
    [1] jobId
    [2] payload         the input as stored (JSON text, or tagged brotli bytes)
    [3..] field, value, ... of the new record
  Returns
    1
]]
local recordKey = KEYS[1]
local payloadKey = KEYS[2]
local tenantJobsKey = KEYS[3]
local tenantActiveKey = KEYS[4]
local jobId = ARGV[1]
local payload = ARGV[2]

redis.call('HSET', recordKey, unpack(ARGV, 3))
redis.call('HSET', payloadKey, 'in', payload)
redis.call('ZADD', tenantJobsKey, 0, jobId)
redis.call('INCR', tenantActiveKey)
return 1
