--[[
  scheduler position (read-only): how many jobs will start before this one,
  an estimate: the tenant's own jobs ahead of it, every job of higher levels,
  and of each other tenant at its level the jobs it gets before this tenant's
  virtual time reaches this job (its jobs cost about its head job's estimate /
  weight each). Same key layout as includes/scheduler-common.lua.

  KEYS
    [1] (routing only) the pool's inflight hash
  ARGV
    [1] base    the pool's key base
    [2] id      the job
    [3] level
    [4] tenant
  Returns
    {ahead} for a job in a backlog
    {-1} otherwise (handed to BullMQ, or gone)
]]
local base = ARGV[1]
local id = ARGV[2]
local level = tonumber(ARGV[3])
local tenant = ARGV[4]

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
