--[[
  job finish: jobs reach a terminal status (succeeded, failed or canceled),
  one pool's finishes of one event-loop turn in one call.

  Besides the record it counts the tenant's usage for the day, releases the
  tenant's active-job slot and, when the job has a webhook, appends the event
  to the webhook outbox: all in the same atomic step, so none of them can be
  lost or counted twice. The payload gets `out` (always, '' for none: a
  finished job's payload without `out` has expired) and its own expiry.

  The attempt's last tokens, the final status and the end are one stream
  entry, `type done` with the status as its `data` and the tokens, if any, as
  `tokens` (one XADD, not three): the SSE relay sends it as `token`, `status`
  and `done` under the entry's id and the next sequence numbers, which no
  entry can take (nothing is appended after the end). The record keeps the
  `done` event's id as `done_id` (see eventsOfEntry in job-events.ts).

  What several jobs of the call share is written once for the call, after
  every job's guard: one HINCRBY per usage hash and field, one DECRBY per
  active counter, one PUBLISH of every finished id (space-separated, see
  eventsChannel in core's keys.ts) and one of every canceled id instead of
  one each per job. Jobs that are
  missing or already terminal count nowhere.

  KEYS
    [1] outboxKey   the webhook outbox stream (the pool's)
    [2..] three per job, in the order of the jobs in ARGV: the job hash, its
          event stream, the job's payload hash (`in`, `out`); then three per
          tenant and day the call's jobs name (each key once: a key costs
          Redis about as much to take in as a command): the tenant's job index
          (zset, all scores 0, ordered by job id, which sorts by creation
          time), the tenant's active-job counter, the tenant's usage hash of
          the day
  ARGV
    [1] retentionMs          the records' retention
    [2] eventsChannel        pub/sub channel of job events (the pool's)
    [3] eventsMaxLen         the event streams' max length
    [4] usageRetentionMs
    [5] cancelChannel        the call's canceled ids are published there
                             (one message, space-separated as on
                             eventsChannel), so the workers running them
                             abort the backend calls
    [6] payloadRetentionMs   at most the retention
    [7] eventsRetentionMs    how long late SSE readers replay from the stream,
                             after which they replay from the record
    [8..] per job: now (ms), status (the new one), jobId, allowedBefore
          (statuses allowed before, comma list), trimBelow (smallest job id
          still within retention: index entries below it are trimmed; '' to
          skip trimming this time), inputTokens, outputTokens, lastTokens
          (data of a last token event, before the status, '' for none: the
          attempt's final tokens ride along instead of costing a round trip
          and a stream entry of their own), output (as stored, '' for none),
          tenantKeys (the position in KEYS of the job's tenant's three), the
          number n of extra strings, then n strings: field/value pairs for
          the record
  Returns
    two values per job, in order (one flat array: a table per job cost
    Redis more to build and encode than the rest of the reply):
    1, previous status  written
    0, ''               no such record
    -1, status          already terminal
    -2, status          previous status not allowed
]]
local retentionMs = ARGV[1]
local eventsChannel = ARGV[2]
local eventsMaxLen = ARGV[3]
local usageRetentionMs = ARGV[4]
local cancelChannel = ARGV[5]
local payloadRetentionMs = ARGV[6]
local eventsRetentionMs = ARGV[7]
local outboxKey = KEYS[1]

-- What the call's finished jobs add up to, each key in order of first use: their ids, each active
-- counter's decrement, and per usage hash and model {key, model, jobs, input tokens, output tokens}.
local finished, released, counters, usage = {}, {}, {}, {}
local canceled = {}
-- Each allowedBefore list as a set of statuses, made once a call: a lookup per job instead of two
-- concatenations and a search.
local allowedSets = {}

local function allows(allowedBefore, st)
  local set = allowedSets[allowedBefore]
  if not set then
    set = {}
    for s in string.gmatch(allowedBefore .. ',', '([^,]*),') do set[s] = true end
    allowedSets[allowedBefore] = set
  end
  return set[st]
end

-- The id `events - 1` entries after a stream entry's: its sequence's last digit raised in place
-- when it stays a digit (a fresh stream's entry is `<ms>-0`), else through a number.
local function after(id, by)
  local last = string.byte(id, -1) + by
  if last <= 57 then return string.sub(id, 1, -2) .. string.char(last) end
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return ms .. '-' .. string.format('%d', tonumber(seq) + by)
end

local function tally(counter, usageKey, model, inputTokens, outputTokens)
  local r = released[counter]
  if not r then
    counters[#counters + 1] = counter
    r = 0
  end
  released[counter] = r + 1
  local id = usageKey .. '|' .. model
  local u = usage[id]
  if not u then
    u = {usageKey, model, 0, 0, 0}
    usage[id] = u
    usage[#usage + 1] = u
  end
  u[3], u[4], u[5] = u[3] + 1, u[4] + tonumber(inputTokens), u[5] + tonumber(outputTokens)
end

-- Each tenantKeys as a number, converted once a call.
local positions = {}

-- k: the offset of the job's keys (record, events, payload) in KEYS; a: of its entries in ARGV, n of
-- them extra fields. Read in place: no table per job.
local function finish(k, a, n)
  local recordKey, eventsKey = KEYS[k + 1], KEYS[k + 2]
  local status, jobId = ARGV[a + 1], ARGV[a + 2]
  local f = redis.call('HMGET', recordKey, 'status', 'model', 'webhook')
  local st = f[1]
  if not st then return 0, '' end
  if st == 'succeeded' or st == 'failed' or st == 'canceled' then return -1, st end
  if not allows(ARGV[a + 3], st) then return -2, st end
  local now, lastTokens = ARGV[a], ARGV[a + 7]
  local data, id, by = '{"status":"' .. status .. '"}', nil, 1
  if lastTokens ~= '' then
    id, by = redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'done', 'data', data, 'tokens', lastTokens), 2
  else
    id = redis.call('XADD', eventsKey, 'MAXLEN', '~', eventsMaxLen, '*', 'type', 'done', 'data', data)
  end
  redis.call('HSET', recordKey, 'status', status, 'completed_at', now, 'done_id', after(id, by), unpack(ARGV, a + 11, a + 10 + n))
  redis.call('PEXPIRE', recordKey, retentionMs)
  redis.call('PEXPIRE', eventsKey, eventsRetentionMs)
  local payloadKey = KEYS[k + 3]
  local tenantKeys = ARGV[a + 9]
  local t = positions[tenantKeys]
  if not t then
    t = tonumber(tenantKeys)
    positions[tenantKeys] = t
  end
  redis.call('HSET', payloadKey, 'out', ARGV[a + 8])
  redis.call('PEXPIRE', payloadKey, payloadRetentionMs)
  local trimBelow = ARGV[a + 4]
  if trimBelow ~= '' then redis.call('ZREMRANGEBYLEX', KEYS[t], '-', '(' .. trimBelow) end
  tally(KEYS[t + 1], KEYS[t + 2], f[2], ARGV[a + 5], ARGV[a + 6])
  if f[3] then
    redis.call('XADD', outboxKey, 'MAXLEN', '~', '1000000', '*', 'job', jobId, 'event', status, 'at', now)
  end
  finished[#finished + 1] = jobId
  if status == 'canceled' then canceled[#canceled + 1] = jobId end
  return 1, st
end

-- Never below zero, as a DECR per job that reset a negative count left it.
local function release()
  for _, counter in ipairs(counters) do
    if redis.call('DECRBY', counter, released[counter]) < 0 then redis.call('SET', counter, 0) end
  end
end

-- The day's hash gets its expiry with its model's first jobs; later ones leave it be.
local function count()
  for _, u in ipairs(usage) do
    local key, model, jobs = u[1], u[2], u[3]
    if redis.call('HINCRBY', key, model .. '|jobs', jobs) == jobs then redis.call('PEXPIRE', key, usageRetentionMs) end
    if u[4] ~= 0 then redis.call('HINCRBY', key, model .. '|input_tokens', u[4]) end
    if u[5] ~= 0 then redis.call('HINCRBY', key, model .. '|output_tokens', u[5]) end
  end
end

local results, a, k, argc = {}, 8, 1, #ARGV
while a <= argc do
  local n, r = tonumber(ARGV[a + 10]), #results
  results[r + 1], results[r + 2] = finish(k, a, n)
  a, k = a + 11 + n, k + 3
end
release()
count()
if #finished > 0 then redis.call('PUBLISH', eventsChannel, table.concat(finished, ' ')) end
if #canceled > 0 then redis.call('PUBLISH', cancelChannel, table.concat(canceled, ' ')) end
return results
