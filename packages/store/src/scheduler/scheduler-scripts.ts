/**
 * The fair scheduler's scripts (SPEC section 9). Every one touches only keys
 * under one pool's hash tag (see schedulerKeys in core): KEYS[1] is a key of
 * that slot for routing, ARGV[1] the pool's `base`, from which the scripts
 * build the per-level and per-tenant keys as BullMQ's scripts build theirs.
 *
 * Order of service: level (0 high, 1 normal, 2 low) first; within a level the
 * tenant with the least virtual time (tokens charged / weight) goes next; FIFO
 * within a tenant. A job is charged its estimate when picked and corrected to
 * its real tokens when it finishes. A tenant whose backlog empties keeps its
 * virtual time in `saved`; when it comes back it starts at the larger of that
 * and the level's current minimum, so it neither banks credit nor sheds debt.
 * That minimum leaves out the estimates still charged for jobs in flight
 * (`pending`): they are corrected to real usage when the jobs end, and a
 * tenant placed above them would then be behind a whole backlog (a pool that
 * shrinks ends many at once).
 *
 * Picking hands a job to BullMQ (the caller adds it with the job id as jobId,
 * which is idempotent) and records it in `inflight` until it finishes; picking
 * stops when the pool's live capacity (`cap`, from worker heartbeats) is
 * taken, so BullMQ's queue holds about as many waiting jobs as workers can
 * take next. A caller that dies between a pick and the add leaves the entry in
 * `inflight`: the workers' repair loop adds it again.
 */

/** Shared functions, prepended to the scripts that pick. Numbers go to Redis as %.17g: Lua's default keeps 14 digits. */
export const COMMON = `
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
`;

/**
 * submit: jobs join their tenants' backlogs, then the pool picks while it has free slots.
 * KEYS[1] the pool's ready set of level 0 (routing only)
 * ARGV[1] base, ARGV[2] now (ms), then per job 8 values: id, level, tenant,
 * estimate (tokens), weight, max attempts, deadline (ms, '' for none), model
 * Returns {promoted, expired} (see pick).
 */
export const SCHED_SUBMIT_LUA = `${COMMON}
local now = tonumber(ARGV[2])
for i = 3, #ARGV, 8 do
  local id, level, tenant, est, w, attempts, deadline, model = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5], ARGV[i+6], ARGV[i+7]
  local ready = readyKey(level)
  if not redis.call('ZSCORE', ready, tenant) then
    -- It starts at the level's current minimum: the lower of the least virtual time queued, less
    -- the estimates of that tenant's jobs in flight (their real usage lowers it when they end),
    -- and the level's clock; just below it so it goes next; or at its own saved time when that is
    -- higher: no credit banked while idle, no debt shed.
    local vt = tonumber(redis.call('HGET', savedKey, level .. '|' .. tenant) or '0')
    local top = redis.call('ZRANGE', ready, 0, 0, 'WITHSCORES')
    local low = nil
    if top[1] then
      local topPending = tonumber(redis.call('HGET', pendingKey, level .. '|' .. top[1]) or '0')
      low = tonumber(top[2]) - math.max(0, topPending)
    end
    local clock = tonumber(redis.call('HGET', savedKey, level .. '|') or '')
    if clock and (not low or clock < low) then low = clock end
    if low then
      local floor = low - math.max(1e-6, math.abs(low) * 1e-12)
      if floor > vt then vt = floor end
    end
    redis.call('ZADD', ready, fmt(vt), tenant)
  end
  redis.call('ZADD', backlogKey(level, tenant), 0, table.concat({id, est, w, attempts, deadline, model}, '|'))
  if deadline ~= '' then redis.call('ZADD', deadlinesKey, deadline, level .. '|' .. tenant .. '|' .. id) end
end
return pick(now)
`;

/**
 * finish: jobs handed to BullMQ ended (or were taken back); their slots free
 * up, each tenant's charge is corrected from the estimate to the real tokens,
 * then the pool picks while it has free slots.
 * KEYS[1] the pool's inflight hash (routing only)
 * ARGV[1] base, ARGV[2] now (ms), then per job 2 values: id, real tokens
 * ('' keeps the estimate; 0 refunds it). The job may be in flight or waiting
 * out a retry delay; an id in neither is skipped, so a repeated finish
 * corrects nothing twice.
 * Returns {promoted, expired} (see pick).
 */
export const SCHED_FINISH_LUA = `${COMMON}
local ended = {}
for i = 3, #ARGV, 2 do
  local from = inflightKey
  local entry = redis.call('HGET', inflightKey, ARGV[i])
  if not entry then
    from = retryingKey
    entry = redis.call('HGET', retryingKey, ARGV[i])
  end
  if entry then
    redis.call('HDEL', from, ARGV[i])
    local level, tenant, est, w = string.match(entry, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|')
    ended[level .. '|' .. tenant] = (ended[level .. '|' .. tenant] or 0) - tonumber(est) / tonumber(w)
    if ARGV[i+1] ~= '' then
      local delta = (tonumber(ARGV[i+1]) - tonumber(est)) / tonumber(w)
      if delta ~= 0 and not redis.call('ZADD', readyKey(level), 'XX', 'INCR', fmt(delta), tenant) then
        redis.call('HINCRBYFLOAT', savedKey, level .. '|' .. tenant, fmt(delta))
      end
    end
  end
end
return pick(tonumber(ARGV[2]), ended)
`;

/**
 * cancel: takes a canceled job out of its tenant's backlog.
 * KEYS[1] the pool's inflight hash (routing only)
 * ARGV[1] base, ARGV[2] id, ARGV[3] level, ARGV[4] tenant
 * Returns 1 removed from the backlog, 2 already handed to BullMQ (in flight), 0 neither.
 */
export const SCHED_CANCEL_LUA = `${COMMON}
if unqueue(ARGV[3], ARGV[4], ARGV[2]) then return 1 end
if redis.call('HEXISTS', inflightKey, ARGV[2]) == 1 then return 2 end
return 0
`;

/**
 * sweep: takes the jobs whose deadline passed out of their backlogs (the
 * caller fails their records deadline_exceeded), at most 200 a call.
 * KEYS[1] the pool's deadlines zset (routing only)
 * ARGV[1] base, ARGV[2] now (ms)
 * Returns id, tenant pairs of the jobs taken out.
 */
export const SCHED_SWEEP_LUA = `${COMMON}
local out = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', deadlinesKey, '-inf', ARGV[2], 'LIMIT', 0, 200)) do
  local level, tenant, id = string.match(m, '^([^|]*)|([^|]*)|(.*)$')
  redis.call('ZREM', deadlinesKey, m)
  if unqueue(level, tenant, id) then
    out[#out + 1] = id
    out[#out + 1] = tenant
  end
end
return out
`;

/**
 * capacity: a worker process (re)states the slots it serves in the pool
 * (0 when it leaves); entries past their expiry are dropped, the live sum is
 * the pool's capacity; then the pool picks while it has free slots.
 * KEYS[1] the pool's workers hash (routing only)
 * ARGV[1] base, ARGV[2] now (ms), ARGV[3] worker id, ARGV[4] slots, ARGV[5] expiry (ms)
 * Returns {promoted, expired} (see pick).
 */
export const SCHED_CAPACITY_LUA = `${COMMON}
local workersKey = base .. 'workers'
if ARGV[4] == '0' then
  redis.call('HDEL', workersKey, ARGV[3])
else
  redis.call('HSET', workersKey, ARGV[3], ARGV[4] .. '|' .. ARGV[5])
end
local now, cap, all = tonumber(ARGV[2]), 0, redis.call('HGETALL', workersKey)
for i = 1, #all, 2 do
  local slots, expires = string.match(all[i+1], '^(%d+)|(%d+)$')
  if tonumber(expires) < now then redis.call('HDEL', workersKey, all[i]) else cap = cap + tonumber(slots) end
end
redis.call('SET', base .. 'cap', cap)
return pick(now)
`;
