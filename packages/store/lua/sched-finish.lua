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
    [3..] jobs, 6 values each: id, real tokens ('' keeps the estimate; 0
          refunds it), then its charge as picked: level, tenant, estimate,
          weight ('' each when the caller does not know it)
  Returns
    {picked, expired} (see pick in includes/scheduler-common.lua)
]]
--@include includes/scheduler-common.lua
local nowMs = ARGV[2]

-- level|tenant -> its pending estimates that ended, and its correction to real tokens (summed).
local ended, corrections = {}, {}

local function settle(level, tenant, est, w, tokens)
  local field = level .. '|' .. tenant
  -- Each converted once (a tonumber costs about as much as the arithmetic of a whole job).
  local e, wt = num(est), num(w)
  ended[field] = (ended[field] or 0) - e / wt
  if tokens ~= '' then
    corrections[field] = (corrections[field] or 0) + (tonumber(tokens) - e) / wt
  end
end

-- Takes the jobs at ARGV indexes idx out of one hash and settles them; returns the indexes it did not hold.
local function release(key, idx)
  local missing, found = {}, {}
  for from = 1, #idx, 500 do
    local part = {}
    for n = from, math.min(from + 499, #idx) do part[#part + 1] = ARGV[idx[n]] end
    local rows = redis.call('HMGET', key, unpack(part))
    for n, entry in ipairs(rows) do
      local i = idx[from + n - 1]
      if entry then
        found[#found + 1] = ARGV[i]
        local level, tenant, est, w = string.match(entry, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|')
        settle(level, tenant, est, w, ARGV[i + 1])
      else
        missing[#missing + 1] = i
      end
    end
  end
  callAll('HDEL', key, found, 500)
  return missing
end

-- The index of the call's one job when it comes alone with its charge.
local alone = #ARGV == 8 and ARGV[#ARGV] ~= '' and #ARGV - 5
if alone then
  if redis.call('HDEL', inflightKey, ARGV[alone]) == 1 then
    settle(ARGV[alone + 2], ARGV[alone + 3], ARGV[alone + 4], ARGV[alone + 5], ARGV[alone + 1])
  else
    release(base .. 'retrying', {alone})
  end
else
  local idx, seen = {}, {}
  for i = 3, #ARGV, 6 do
    if not seen[ARGV[i]] then
      seen[ARGV[i]] = true
      idx[#idx + 1] = i
    end
  end
  local missing = release(inflightKey, idx)
  if #missing > 0 then release(base .. 'retrying', missing) end
end
-- One correction per tenant: of its virtual time while it is ready, else of the time saved for its return.
for field, delta in pairs(corrections) do
  local level, tenant = string.sub(field, 1, 1), string.sub(field, 3)
  if delta ~= 0 and not redis.call('ZADD', readyKey(level), 'XX', 'INCR', fmt(delta), tenant) then
    redis.call('HINCRBYFLOAT', base .. 'saved', field, fmt(delta))
  end
end
return pick(nowMs, ended)
