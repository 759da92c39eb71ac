/**
 * Read-only scripts of the fair scheduler: a queued job's place in the order
 * of service, and a pool's backlog for metrics and operators. Same key layout
 * as scheduler-scripts.ts; KEYS[1] routes, ARGV[1] is the pool's base.
 */

/**
 * position: how many jobs will start before this one, an estimate: the
 * tenant's own jobs ahead of it, every job of higher levels, and of each other
 * tenant at its level the jobs it gets before this tenant's virtual time
 * reaches this job (its jobs cost about its head job's estimate / weight each).
 * KEYS[1] the pool's inflight hash (routing only)
 * ARGV[1] base, ARGV[2] id, ARGV[3] level, ARGV[4] tenant
 * Returns {ahead} for a job in a backlog, {-1} otherwise (handed to BullMQ, or gone).
 */
export const SCHED_POSITION_LUA = `
local base, id, level, tenant = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local function backlogKey(l, t) return base .. 'q:' .. l .. ':' .. t end
local function cost(l, t)
  local head = redis.call('ZRANGE', backlogKey(l, t), 0, 0)[1]
  if not head then return nil end
  local est, w = string.match(head, '^[^|]*|([^|]*)|([^|]*)|')
  return tonumber(est) / tonumber(w)
end
local q = backlogKey(level, tenant)
local mine = redis.call('ZRANGEBYLEX', q, '[' .. id .. '|', '(' .. id .. '}', 'LIMIT', 0, 1)[1]
if not mine then return {-1} end
local own = redis.call('ZLEXCOUNT', q, '-', '(' .. mine)
local ahead = own
for l = 0, level - 1 do
  for _, t in ipairs(redis.call('ZRANGE', base .. 'ready:' .. l, 0, 999)) do
    ahead = ahead + redis.call('ZCARD', backlogKey(l, t))
  end
end
local ready = base .. 'ready:' .. level
local est, w = string.match(mine, '^[^|]*|([^|]*)|([^|]*)|')
local target = tonumber(redis.call('ZSCORE', ready, tenant) or '0') + own * tonumber(est) / tonumber(w)
local others = redis.call('ZRANGEBYSCORE', ready, '-inf', string.format('%.17g', target), 'WITHSCORES', 'LIMIT', 0, 1000)
for i = 1, #others, 2 do
  local t, vt = others[i], tonumber(others[i + 1])
  if t ~= tenant then
    local c = cost(level, t)
    if c and c > 0 then
      -- Its jobs start at vt, vt + c, ...: those before target, and on a tie those of a tenant that sorts first.
      local n = math.ceil((target - vt) / c)
      if t < tenant and (target - vt) / c == math.floor((target - vt) / c) then n = n + 1 end
      local queued = redis.call('ZCARD', backlogKey(level, t))
      ahead = ahead + math.min(n, queued)
    end
  end
end
return {ahead}
`;

/**
 * stats: the pool's backlog: per level, each tenant with its virtual time,
 * queued jobs, oldest job id and that job's weight (the weight its tenant had
 * when it submitted: the one the next pick charges); then capacity, jobs in
 * flight and jobs picked.
 * KEYS[1] the pool's inflight hash (routing only)
 * ARGV[1] base
 * Returns {levels, cap, inflight, picked}: levels[l+1] is a flat list of
 * tenant, virtual time, queued, oldest id, its weight (at most 1000 tenants a level).
 */
export const SCHED_STATS_LUA = `
local base = ARGV[1]
local levels = {}
for l = 0, 2 do
  local rows = {}
  local ready = redis.call('ZRANGE', base .. 'ready:' .. l, 0, 999, 'WITHSCORES')
  for i = 1, #ready, 2 do
    local q = base .. 'q:' .. l .. ':' .. ready[i]
    local head = redis.call('ZRANGE', q, 0, 0)[1]
    -- A tenant whose backlog emptied stays ready until the next pick finds it so: not shown.
    if head then
      rows[#rows + 1] = ready[i]
      rows[#rows + 1] = ready[i + 1]
      rows[#rows + 1] = tostring(redis.call('ZCARD', q))
      local oldest, weight = string.match(head, '^([^|]*)|[^|]*|([^|]*)|')
      rows[#rows + 1] = oldest or ''
      rows[#rows + 1] = weight or ''
    end
  end
  levels[l + 1] = rows
end
return {levels, redis.call('GET', base .. 'cap') or '0', redis.call('HLEN', base .. 'inflight'), redis.call('GET', base .. 'picked') or '0'}
`;
