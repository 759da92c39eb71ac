--[[
  scheduler finish: jobs handed to BullMQ ended (or were taken back); their
  slots free up, each tenant's charge is corrected from the estimate to the
  real tokens, then the pool picks while it has free slots. The job may be in
  flight or waiting out a retry delay; an id in neither (or named twice) is
  skipped, so a repeated finish corrects nothing twice. A job that comes alone
  with its charge (what its BullMQ job carries) is not read: HDEL's reply says
  whether it was in flight. Otherwise the call reads its jobs' entries in one
  HMGET and deletes them in one HDEL.

  KEYS
    [1] (routing only) the pool's inflight hash
  ARGV
    [1] base   the pool's key base (read by the prelude)
    [2] nowMs
    [3..] jobs, 3 values each: id, real tokens ('' keeps the estimate; 0
          refunds it), its charge `<level>|<tenant>|<estimate>|<weight>|` as
          picked ('' when the caller does not know it)
  Returns
    {promoted, expired} (see pick in includes/scheduler-common.lua)
]]
--@include includes/scheduler-common.lua
local nowMs = ARGV[2]

-- Read before any HDEL: a pool from before the state hash counts its jobs in flight from `inflight`.
local st = state()
-- level|tenant -> its pending estimates that ended, and its correction to real tokens (summed).
local ended, corrections, order = {}, {}, {}

local function settle(entry, tokens)
  local level, tenant, est, w = string.match(entry, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|')
  local field = level .. '|' .. tenant
  ended[field] = (ended[field] or 0) - tonumber(est) / tonumber(w)
  if tokens ~= '' then
    if not corrections[field] then
      corrections[field] = 0
      order[#order + 1] = {level, tenant, field}
    end
    corrections[field] = corrections[field] + (tonumber(tokens) - tonumber(est)) / tonumber(w)
  end
end

-- Takes the jobs at ARGV indexes idx out of one hash and settles them; returns the indexes it did not hold.
local function release(key, idx)
  local missing, found = {}, {}
  for from = 1, #idx, 500 do
    local part = {}
    for n = from, math.min(from + 499, #idx) do part[#part + 1] = ARGV[idx[n]] end
    local entries = redis.call('HMGET', key, unpack(part))
    for n, entry in ipairs(entries) do
      local i = idx[from + n - 1]
      if entry then
        found[#found + 1] = ARGV[i]
        settle(entry, ARGV[i + 1])
      else
        missing[#missing + 1] = i
      end
    end
  end
  local n = callAll('HDEL', key, found, 500)
  if key == inflightKey then st.busy = st.busy - n end
  return missing
end

-- The index of the call's one job when it comes alone with its charge.
local alone = #ARGV == 5 and ARGV[#ARGV] ~= '' and #ARGV - 2
if alone then
  if redis.call('HDEL', inflightKey, ARGV[alone]) == 1 then
    st.busy = st.busy - 1
    settle(ARGV[alone + 2], ARGV[alone + 1])
  else
    release(retryingKey, {alone})
  end
else
  local idx, seen = {}, {}
  for i = 3, #ARGV, 3 do
    if not seen[ARGV[i]] then
      seen[ARGV[i]] = true
      idx[#idx + 1] = i
    end
  end
  local missing = release(inflightKey, idx)
  if #missing > 0 then release(retryingKey, missing) end
end
-- One correction per tenant: of its virtual time while it is ready, else of the time saved for its return.
for _, c in ipairs(order) do
  local level, tenant, field = c[1], c[2], c[3]
  local delta = corrections[field]
  if delta ~= 0 and not redis.call('ZADD', readyKey(level), 'XX', 'INCR', fmt(delta), tenant) then
    redis.call('HINCRBYFLOAT', savedKey, field, fmt(delta))
  end
end
return pick(tonumber(nowMs), ended)
