--[[
  job create: new queued jobs' records, their payloads, their places in the
  tenants' indexes and the tenants' active counts, one pool's jobs of one
  enqueue transaction in one call (four commands per job before, and a call
  per job: each cost the api a command object, its promises and its
  encoding). Appended to the enqueue transaction, beside the scheduler's
  submit. No event stream yet: the first transition opens it.

  What several jobs share is written once for the call: one ZADD per tenant
  index with all its new ids, one INCRBY per active counter.

  KEYS
    [1..] four per job, in the order of the jobs in ARGV: the job hash, the
          job's payload hash, the tenant's job index in the pool (sorted set),
          the tenant's count of queued and running jobs in the pool
  ARGV
    [1..] per job: jobId, payload (the input as stored: JSON text, or tagged
          brotli bytes), the number n of strings that follow, then n strings:
          field, value, ... of the new record
  Returns
    the number of jobs written
]]

-- Per key, in order of first use: each index's new members, each counter's increment.
local indexes, members, counters, counts = {}, {}, {}, {}
local a = 1
local jobs = #KEYS / 4
for i = 1, jobs do
  local k, jobId, n = (i - 1) * 4, ARGV[a], tonumber(ARGV[a + 2])
  local index, counter = KEYS[k + 3], KEYS[k + 4]
  redis.call('HSET', KEYS[k + 1], unpack(ARGV, a + 3, a + 2 + n))
  redis.call('HSET', KEYS[k + 2], 'in', ARGV[a + 1])
  if not members[index] then
    members[index] = {}
    indexes[#indexes + 1] = index
  end
  local m = members[index]
  m[#m + 1] = 0
  m[#m + 1] = jobId
  if not counts[counter] then
    counts[counter] = 0
    counters[#counters + 1] = counter
  end
  counts[counter] = counts[counter] + 1
  a = a + 3 + n
end

-- Chunks keep each ZADD's arguments well within what unpack may return.
for _, index in ipairs(indexes) do
  local m = members[index]
  for from = 1, #m, 1000 do
    redis.call('ZADD', index, unpack(m, from, math.min(from + 999, #m)))
  end
end
for _, counter in ipairs(counters) do
  redis.call('INCRBY', counter, counts[counter])
end
return jobs
