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
    [1..] seven per job, in the order of the jobs in ARGV: the job hash, its
          event stream, the tenant's job index (zset, all scores 0, ordered by
          job id, which sorts by creation time), the tenant's active-job
          counter, the tenant's usage hash of the day, the webhook outbox
          stream, the job's payload hash (`in`, `out`)
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
          and a stream entry of their own), output (as stored, '' for none), the
          number n of extra strings, then n strings: field/value pairs for
          the record
  Returns
    one entry per job, in order:
    {1, previous status}  written
    {0, ''}               no such record
    {-1, status}          already terminal
    {-2, status}          previous status not allowed
]]
local retentionMs = ARGV[1]
local eventsChannel = ARGV[2]
local eventsMaxLen = ARGV[3]
local usageRetentionMs = ARGV[4]
local cancelChannel = ARGV[5]
local payloadRetentionMs = ARGV[6]
local eventsRetentionMs = ARGV[7]

local function xadd(key, ...)
  return redis.call('XADD', key, 'MAXLEN', '~', eventsMaxLen, '*', ...)
end

-- What the call's finished jobs add up to, each key in order of first use: their ids, each active
-- counter's decrement, and per usage hash and model {key, model, jobs, input tokens, output tokens}.
local finished, released, counters, usage = {}, {}, {}, {}
local canceled = {}

local function tally(k, model, inputTokens, outputTokens)
  local counter = k[4]
  if not released[counter] then
    released[counter] = 0
    counters[#counters + 1] = counter
  end
  released[counter] = released[counter] + 1
  local id = k[5] .. '|' .. model
  local u = usage[id]
  if not u then
    u = {k[5], model, 0, 0, 0}
    usage[id] = u
    usage[#usage + 1] = u
  end
  u[3], u[4], u[5] = u[3] + 1, u[4] + tonumber(inputTokens), u[5] + tonumber(outputTokens)
end

-- k: the job's keys (record, events, index, active, usage, outbox, payload); j: its ARGV entries.
local function finish(k, j, fields)
  local now, status, jobId, allowedBefore, trimBelow = j[1], j[2], j[3], j[4], j[5]
  local inputTokens, outputTokens, lastTokens, output = j[6], j[7], j[8], j[9]
  local f = redis.call('HMGET', k[1], 'status', 'model', 'webhook')
  local st = f[1]
  if not st then return {0, ''} end
  if st == 'succeeded' or st == 'failed' or st == 'canceled' then return {-1, st} end
  if not string.find(',' .. allowedBefore .. ',', ',' .. st .. ',', 1, true) then return {-2, st} end
  local data, events = '{"status":"' .. status .. '"}', 2
  local id
  if lastTokens ~= '' then
    id, events = xadd(k[2], 'type', 'done', 'data', data, 'tokens', lastTokens), 3
  else
    id = xadd(k[2], 'type', 'done', 'data', data)
  end
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  local done_id = ms .. '-' .. string.format('%d', tonumber(seq) + events - 1)
  redis.call('HSET', k[1], 'status', status, 'completed_at', now, 'done_id', done_id, unpack(fields))
  redis.call('PEXPIRE', k[1], retentionMs)
  redis.call('PEXPIRE', k[2], eventsRetentionMs)
  redis.call('HSET', k[7], 'out', output)
  redis.call('PEXPIRE', k[7], payloadRetentionMs)
  if trimBelow ~= '' then redis.call('ZREMRANGEBYLEX', k[3], '-', '(' .. trimBelow) end
  tally(k, f[2], inputTokens, outputTokens)
  if f[3] then
    redis.call('XADD', k[6], 'MAXLEN', '~', '1000000', '*', 'job', jobId, 'event', status, 'at', now)
  end
  finished[#finished + 1] = jobId
  if status == 'canceled' then canceled[#canceled + 1] = jobId end
  return {1, st}
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

local results, a = {}, 8
for i = 1, #KEYS / 7 do
  local k = {unpack(KEYS, (i - 1) * 7 + 1, i * 7)}
  local n = tonumber(ARGV[a + 9])
  results[i] = finish(k, {unpack(ARGV, a, a + 8)}, {unpack(ARGV, a + 10, a + 9 + n)})
  a = a + 10 + n
end
release()
count()
if #finished > 0 then redis.call('PUBLISH', eventsChannel, table.concat(finished, ' ')) end
if #canceled > 0 then redis.call('PUBLISH', cancelChannel, table.concat(canceled, ' ')) end
return results
