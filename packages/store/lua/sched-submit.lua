--[[
  scheduler submit: jobs join their tenants' backlogs, then the pool picks
  while it has free slots. A call pays per tenant and level it names, not per
  job: one look at whether the tenant is ready, one ZADD of its jobs.

  KEYS
    [1] (routing only) the pool's ready set of level 0
  ARGV
    [1] base   the pool's key base (read by the prelude)
    [2] nowMs
    [3..] jobs, 8 values each: id, level, tenant, estimate (tokens), weight,
          max attempts, deadline (ms, '' for none), model
  Returns
    {picked, expired} (see pick in includes/scheduler-common.lua)
]]
--@include includes/scheduler-common.lua
local nowMs = ARGV[2]

-- A tenant not ready at the level starts at the level's current minimum: the lower of the least
-- virtual time queued, less the estimates of that tenant's jobs in flight (their real usage lowers
-- it when they end), and the level's clock; just below it so it goes next; or at its own saved time
-- when that is higher: no credit banked while idle, no debt shed.
local function enter(level, tenant)
  local ready = readyKey(level)
  if redis.call('ZSCORE', ready, tenant) then return end
  local vt = tonumber(redis.call('HGET', base .. 'saved', level .. '|' .. tenant) or '0')
  local top = redis.call('ZRANGE', ready, 0, 0, 'WITHSCORES')
  local low = nil
  if top[1] then
    local topPending = tonumber(redis.call('HGET', base .. 'pending', level .. '|' .. top[1]) or '0')
    low = tonumber(top[2]) - math.max(0, topPending)
  end
  local clock = tonumber(redis.call('HGET', stateKey, 'clock' .. level) or '')
  if clock and (not low or clock < low) then low = clock end
  if low then
    local floor = low - math.max(1e-6, math.abs(low) * 1e-12)
    if floor > vt then vt = floor end
  end
  redis.call('ZADD', ready, fmt(vt), tenant)
  local c = state()
  c.live = bit.bor(c.live, bit.lshift(1, tonumber(level)))
end

-- Backlogs in the order the call first names them: a tenant enters its level before the next one
-- looks at the level's minimum, as when each job came alone.
local backlogs, order, deadlines = {}, {}, {}
for i = 3, #ARGV, 8 do
  local id, level, tenant, est, w, attempts, deadline, model = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5], ARGV[i+6], ARGV[i+7]
  local q = backlogKey(level, tenant)
  if not backlogs[q] then
    enter(level, tenant)
    backlogs[q] = {}
    order[#order + 1] = q
  end
  local jobs = backlogs[q]
  local n = #jobs
  jobs[n + 1], jobs[n + 2] = '0', id .. '|' .. est .. '|' .. w .. '|' .. attempts .. '|' .. deadline .. '|' .. model
  if deadline ~= '' then
    deadlines[#deadlines + 1] = deadline
    deadlines[#deadlines + 1] = level .. '|' .. tenant .. '|' .. id
  end
end
for _, q in ipairs(order) do callAll('ZADD', q, backlogs[q], 1000) end
if deadlines[1] then callAll('ZADD', base .. 'deadlines', deadlines, 1000) end
return pick(nowMs)
