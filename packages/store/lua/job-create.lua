--[[
  job create: new queued jobs' records, their payloads, their places in the
  tenants' indexes and the tenants' active counts, one pool's jobs of one
  enqueue transaction in one call (four commands per job before, and a call
  per job: each cost the api a command object, its promises and its
  encoding). Appended to the enqueue transaction, beside the scheduler's
  submit. No event stream yet: the first transition opens it.

  What several jobs share is written once for the call: one ZADD per tenant
  index with all its new ids, one INCRBY per active counter.

  All or nothing: a write that fails (a key of the wrong type) takes back
  every write the call made before it, then the call fails. Redis keeps a
  failed script's earlier writes, and the enqueue's clean-up (job-discard.lua)
  could not tell a record whose count was taken from one whose was not.

  KEYS
    [1..] two per job, in the order of the jobs in ARGV: the job hash, the
          job's payload hash; then two per tenant the call's jobs name (each
          key once: a key costs Redis about as much to take in as a command):
          the tenant's job index in the pool (sorted set), the tenant's count
          of queued and running jobs in the pool
  ARGV
    [1..] per job: jobId, payload (the input as stored: JSON text, or tagged
          brotli bytes), tenantKeys (the position in KEYS of the job's
          tenant's two), the number n of strings that follow, then n strings:
          field, value, ... of the new record
  Returns
    the number of jobs written; an error (the failed write's) when nothing was
]]

-- Per key, in order of first use: each index's new members, each counter's increment.
local indexes, members, counters, counts = {}, {}, {}, {}
-- What the call wrote so far, to take back if a later write fails: the keys made (the first `made`
-- of KEYS, records and payloads in the order written), members added, counts raised.
local made, added, raised = 0, {}, {}
-- Jobs written, and each tenantKeys as a number (converted once a call).
local jobs, positions = 0, {}

local function record(k, a, n)
  redis.call('HSET', KEYS[k + 1], unpack(ARGV, a + 4, a + 3 + n))
  made = made + 1
  redis.call('HSET', KEYS[k + 2], 'in', ARGV[a + 1])
  made = made + 1
end

local function tally(jobId, index, counter)
  if not members[index] then
    members[index] = {}
    indexes[#indexes + 1] = index
  end
  -- The score as a string: a Lua number costs Redis a %.17g conversion per member.
  local m = members[index]
  local e = #m
  m[e + 1], m[e + 2] = '0', jobId
  if not counts[counter] then
    counts[counter] = 0
    counters[#counters + 1] = counter
  end
  counts[counter] = counts[counter] + 1
end

local function write()
  local a, argc = 1, #ARGV
  while a <= argc do
    local n, tenantKeys = tonumber(ARGV[a + 3]), ARGV[a + 2]
    local t = positions[tenantKeys]
    if not t then
      t = tonumber(tenantKeys)
      positions[tenantKeys] = t
    end
    record(jobs * 2, a, n)
    jobs = jobs + 1
    tally(ARGV[a], KEYS[t], KEYS[t + 1])
    a = a + 4 + n
  end
  -- Chunks keep each ZADD's arguments well within what unpack may return.
  for _, index in ipairs(indexes) do
    local m = members[index]
    for from = 1, #m, 1000 do
      local to = math.min(from + 999, #m)
      redis.call('ZADD', index, unpack(m, from, to))
      added[#added + 1] = {index, from, to}
    end
  end
  for _, counter in ipairs(counters) do
    redis.call('INCRBY', counter, counts[counter])
    raised[#raised + 1] = counter
  end
end

-- redis.pcall: one undo that fails (a key changed type meanwhile cannot) must not stop the others.
local function undo()
  for _, counter in ipairs(raised) do redis.pcall('DECRBY', counter, counts[counter]) end
  for _, z in ipairs(added) do
    local m, ids = members[z[1]], {}
    for i = z[2] + 1, z[3], 2 do ids[#ids + 1] = m[i] end
    redis.pcall('ZREM', z[1], unpack(ids))
  end
  for i = 1, made do redis.pcall('UNLINK', KEYS[i]) end
end

local ok, err = pcall(write)
if ok then return jobs end
undo()
return redis.error_reply(type(err) == 'table' and err.err or tostring(err))
