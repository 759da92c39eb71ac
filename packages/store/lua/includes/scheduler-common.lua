--[[
  The fair scheduler's shared prelude (SPEC section 9), included by the
  scripts that pick. Every scheduler script touches only keys under one pool's
  hash tag (see schedulerKeys in core): KEYS[1] is a key of that slot for
  routing, ARGV[1] the pool's `base`, from which the scripts build the
  per-level and per-tenant keys as BullMQ's scripts build theirs.

  Order of service: level (0 high, 1 normal, 2 low) first; within a level the
  tenant with the least virtual time (tokens charged / weight) goes next; FIFO
  within a tenant. A job is charged its estimate when picked and corrected to
  its real tokens when it finishes. A tenant whose backlog empties keeps its
  virtual time in `saved`; when it comes back it starts at the larger of that
  and the level's current minimum, so it neither banks credit nor sheds debt.
  That minimum leaves out the estimates still charged for jobs in flight
  (`pending`): they are corrected to real usage when the jobs end, and a
  tenant placed above them would then be behind a whole backlog (a pool that
  shrinks ends many at once).

  Picking hands a job to BullMQ (the caller adds it with the job id as jobId,
  which is idempotent) and records it in `inflight` until it finishes; picking
  stops when the pool's live capacity (`cap`, from worker heartbeats) is
  taken, so BullMQ's queue holds about as many waiting jobs as workers can
  take next. A caller that dies between a pick and the add leaves the entry in
  `inflight`: the workers' repair loop adds it again.

  Numbers go to Redis as %.17g: Lua's default keeps 14 digits.

  KEYS
    none read here (each script's KEYS[1] only routes)
  ARGV
    [1] base   the pool's key base
  Returns
    nothing: defines base, the pool's key names, fmt, readyKey, backlogKey,
    retire, unqueue and pick for the script that includes it
]]
local base = ARGV[1]

local inflightKey = base .. 'inflight'
local retryingKey = base .. 'retrying'
local savedKey = base .. 'saved'
local deadlinesKey = base .. 'deadlines'
-- level|tenant -> the estimates (tokens / weight) charged for its jobs in flight and not yet corrected.
local pendingKey = base .. 'pending'
local function fmt(x) return string.format('%.17g', x) end
local function readyKey(level) return base .. 'ready:' .. level end
local function backlogKey(level, tenant) return base .. 'q:' .. level .. ':' .. tenant end

-- A tenant's backlog at a level emptied: keep its virtual time for when it comes back.
local function retire(level, tenant, vt)
  redis.call('ZREM', readyKey(level), tenant)
  redis.call('HSET', savedKey, level .. '|' .. tenant, fmt(vt))
end

-- Removes one job from its tenant's backlog by id; true when it was there.
local function unqueue(level, tenant, id)
  local q = backlogKey(level, tenant)
  local found = redis.call('ZRANGEBYLEX', q, '[' .. id .. '|', '(' .. id .. '}', 'LIMIT', 0, 1)
  if not found[1] then return false end
  redis.call('ZREM', q, found[1])
  redis.call('ZREM', deadlinesKey, level .. '|' .. tenant .. '|' .. id)
  if redis.call('ZCARD', q) == 0 then
    retire(level, tenant, tonumber(redis.call('ZSCORE', readyKey(level), tenant) or '0'))
  end
  return true
end

-- Picks jobs in the order of service while the pool has free slots.
-- pending: level|tenant -> change of its pending estimates so far (finish passes what ended), or nil.
-- Returns {promoted, expired}: promoted as id, level, tenant, attempts, model
-- quintuples; expired (deadline passed while queued) as id, tenant pairs.
local function pick(now, pending)
  local free = tonumber(redis.call('GET', base .. 'cap') or '0') - redis.call('HLEN', inflightKey)
  local promoted, expired, clocks, charged = {}, {}, {}, pending or {}
  local level, budget, picked = 0, 1000, 0
  while free > 0 and level <= 2 and budget > 0 do
    budget = budget - 1
    local top = redis.call('ZRANGE', readyKey(level), 0, 0, 'WITHSCORES')
    if not top[1] then
      level = level + 1
    else
      local tenant, vt = top[1], tonumber(top[2])
      local q = backlogKey(level, tenant)
      local job = redis.call('ZPOPMIN', q)[1]
      if not job then
        -- Its backlog emptied at an earlier pick (found here rather than paying a ZCARD on every pick).
        retire(level, tenant, vt)
      else
        local id, est, w, attempts, deadline, model = string.match(job, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
        if deadline ~= '' then redis.call('ZREM', deadlinesKey, level .. '|' .. tenant .. '|' .. id) end
        if deadline ~= '' and tonumber(deadline) <= now then
          expired[#expired + 1] = id
          expired[#expired + 1] = tenant
        else
          clocks[level] = vt
          local field = level .. '|' .. tenant
          charged[field] = (charged[field] or 0) + tonumber(est) / tonumber(w)
          vt = vt + tonumber(est) / tonumber(w)
          redis.call('HSET', inflightKey, id, table.concat({level, tenant, est, w, now, attempts, model}, '|'))
          promoted[#promoted + 1] = id
          promoted[#promoted + 1] = tostring(level)
          promoted[#promoted + 1] = tenant
          promoted[#promoted + 1] = attempts
          promoted[#promoted + 1] = model
          free = free - 1
          picked = picked + 1
          redis.call('ZADD', readyKey(level), fmt(vt), tenant)
        end
      end
    end
  end
  if picked > 0 then redis.call('INCRBY', base .. 'picked', picked) end
  -- One write per tenant and call; none when a tenant's ended and picked jobs weigh the same.
  for field, x in pairs(charged) do
    if x ~= 0 and tonumber(redis.call('HINCRBYFLOAT', pendingKey, field, fmt(x))) <= 1e-9 then
      -- Nothing left in flight (or jobs picked before pending existed): no rounding residue kept.
      redis.call('HDEL', pendingKey, field)
    end
  end
  -- Each level's clock: the virtual time at which its latest job started (start-time fair queueing).
  for l, clock in pairs(clocks) do redis.call('HSET', savedKey, l .. '|', fmt(clock)) end
  return {promoted, expired}
end
