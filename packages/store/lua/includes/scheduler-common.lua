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
  stops when the pool's live capacity (from worker heartbeats) is taken, so
  BullMQ's queue holds about as many waiting jobs as workers can take next. A
  caller that dies between a pick and the add leaves the entry in `inflight`:
  the workers' repair loop adds it again.

  What a call pays does not grow with the jobs it moves where it need not:
  the pool's counters are one hash (`state`: capacity, jobs in flight, jobs
  picked, the levels that may have tenants ready, each level's clock) read and
  written once a call; a level's head is read once for all the picks of a
  call and its virtual times written back once; picked jobs go into
  `inflight` in one HSET.

  Numbers go to Redis as %.17g: Lua's default keeps 14 digits.

  KEYS
    none read here (each script's KEYS[1] only routes)
  ARGV
    [1] base   the pool's key base
  Returns
    nothing: defines base, the pool's key names, fmt, readyKey, backlogKey,
    callAll, state, setLive, retire, unqueue and pick for the script that
    includes it
]]
local base = ARGV[1]

local inflightKey = base .. 'inflight'
local retryingKey = base .. 'retrying'
local savedKey = base .. 'saved'
local deadlinesKey = base .. 'deadlines'
-- level|tenant -> the estimates (tokens / weight) charged for its jobs in flight and not yet corrected.
local pendingKey = base .. 'pending'
local stateKey = base .. 'state'
local function fmt(x) return string.format('%.17g', x) end
local function readyKey(level) return base .. 'ready:' .. level end
local function backlogKey(level, tenant) return base .. 'q:' .. level .. ':' .. tenant end

-- One command with key and the values of list, in chunks of step (even for pairs): unpack takes a few
-- thousand values at most. Returns the sum of the replies.
local function callAll(cmd, key, list, step)
  local sum = 0
  for i = 1, #list, step do
    sum = sum + redis.call(cmd, key, unpack(list, i, math.min(i + step - 1, #list)))
  end
  return sum
end

local STATE_FIELDS = {'cap', 'busy', 'picked', 'live', 'clock0', 'clock1', 'clock2'}
local function stateValues(st)
  local out, values = {}, {st.cap, st.busy, st.picked, st.live, st.clocks[0], st.clocks[1], st.clocks[2]}
  -- A level with no clock yet writes none (a counted loop: a nil would end ipairs).
  for i = 1, #STATE_FIELDS do
    if values[i] then
      out[#out + 1] = STATE_FIELDS[i]
      out[#out + 1] = fmt(values[i])
    end
  end
  return out
end

-- The pool's counters: capacity, jobs in flight (`busy`, kept with every change of `inflight` and
-- restated from it by each capacity statement), jobs ever picked, `live` (bit n set: level n may have
-- tenants ready; cleared only when a pick finds the level empty) and each level's clock (the virtual
-- time at which its latest job started). Read once a call; a pool from before the hash counts `inflight`.
local loaded
local function state()
  if loaded then return loaded end
  local v = redis.call('HMGET', stateKey, unpack(STATE_FIELDS))
  local st = {cap = tonumber(v[1]) or 0, busy = tonumber(v[2]), picked = tonumber(v[3]) or 0, live = tonumber(v[4]) or 7}
  st.busy = st.busy or redis.call('HLEN', inflightKey)
  st.clocks = {}
  for l = 0, 2 do st.clocks[l] = tonumber(v[5 + l]) end
  st.was = table.concat(stateValues(st), '|')
  loaded = st
  return st
end

-- Written once, at the end of the call's pick, and only when it changed.
local function saveState(st)
  local values = stateValues(st)
  if table.concat(values, '|') ~= st.was then redis.call('HSET', stateKey, unpack(values)) end
end

local function isLive(st, level) return bit.band(st.live, bit.lshift(1, level)) ~= 0 end
local function setLive(st, level, on)
  if on then st.live = bit.bor(st.live, bit.lshift(1, level)) else st.live = bit.band(st.live, 7 - bit.lshift(1, level)) end
end

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

-- a before b in a level's ready set: less virtual time, or equal and the tenant's name first byte by
-- byte, as a sorted set orders equal scores (Lua's < on strings follows the server's locale).
local function before(a, b)
  if a.vt ~= b.vt then return a.vt < b.vt end
  for i = 1, math.min(#a.t, #b.t) do
    local x, y = string.byte(a.t, i), string.byte(b.t, i)
    if x ~= y then return x < y end
  end
  return #a.t < #b.t
end

-- A level's head, read once for several picks: its first n tenants in order and, when the level has
-- more, `bound`, the last of them as read. Every tenant not read comes after bound, so the head's
-- first tenant is the level's next while it does not come after bound.
local function readHead(level, n)
  local rows = redis.call('ZRANGE', readyKey(level), 0, n - 1, 'WITHSCORES')
  local head = {level = level, list = {}, moved = {}}
  for i = 1, #rows, 2 do head.list[#head.list + 1] = {t = rows[i], vt = tonumber(rows[i + 1])} end
  if #head.list == n then head.bound = {t = head.list[n].t, vt = head.list[n].vt} end
  return head
end

-- The virtual times the picks moved, back into the level's ready set in one ZADD.
local function writeHead(head)
  local args = {}
  for _, e in ipairs(head.list) do
    if head.moved[e.t] then
      args[#args + 1] = fmt(e.vt)
      args[#args + 1] = e.t
    end
  end
  callAll('ZADD', readyKey(head.level), args, 1000)
end

-- The head's first tenant was charged: back to its place among the others.
local function resort(list)
  local i = 1
  while list[i + 1] and before(list[i + 1], list[i]) do
    list[i], list[i + 1] = list[i + 1], list[i]
    i = i + 1
  end
end

-- One job of the head's first tenant: handed over and charged, or expired (it takes no slot).
local function take(p, head, job)
  local e, level = head.list[1], head.level
  local id, est, w, attempts, deadline, model = string.match(job, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  if deadline ~= '' then p.undated[#p.undated + 1] = level .. '|' .. e.t .. '|' .. id end
  if deadline ~= '' and tonumber(deadline) <= p.now then
    p.expired[#p.expired + 1] = id
    p.expired[#p.expired + 1] = e.t
    return
  end
  p.st.clocks[level] = e.vt
  local field = level .. '|' .. e.t
  p.charged[field] = (p.charged[field] or 0) + tonumber(est) / tonumber(w)
  e.vt = e.vt + tonumber(est) / tonumber(w)
  head.moved[e.t] = true
  p.entries[#p.entries + 1] = id
  p.entries[#p.entries + 1] = table.concat({level, e.t, est, w, p.now, attempts, model}, '|')
  for _, x in ipairs({id, tostring(level), e.t, attempts, model, est, w}) do p.promoted[#p.promoted + 1] = x end
  p.free = p.free - 1
end

-- Picks from the head's first tenant: one job, or as many as there are free slots when it is the
-- level's only tenant. A pop that comes back short found its backlog empty (emptied at an earlier
-- pick: found here rather than paying a ZCARD on every pick): the tenant retires.
local function popHead(p, head)
  local e = head.list[1]
  local n = (not head.bound and #head.list == 1) and p.free or 1
  local jobs = redis.call('ZPOPMIN', backlogKey(head.level, e.t), n)
  for i = 1, #jobs, 2 do take(p, head, jobs[i]) end
  if #jobs < 2 * n then
    retire(head.level, e.t, e.vt)
    table.remove(head.list, 1)
    head.moved[e.t] = nil
  else
    resort(head.list)
  end
end

-- Picks jobs in the order of service while the pool has free slots.
-- pending: level|tenant -> change of its pending estimates so far (finish passes what ended), or nil.
-- Returns {promoted, expired}: promoted as id, level, tenant, attempts, model, estimate, weight
-- septuples; expired (deadline passed while queued) as id, tenant pairs.
local function pick(now, pending)
  local st = state()
  local p = {now = now, st = st, free = st.cap - st.busy, promoted = {}, expired = {}, entries = {}, undated = {}, charged = pending or {}}
  local level, budget, head = 0, 1000, nil
  while p.free > 0 and level <= 2 and budget > 0 do
    budget = budget - 1
    if not head and not isLive(st, level) then
      level = level + 1
    elseif not head then
      head = readHead(level, math.min(p.free + 1, 256))
    elseif not head.list[1] then
      -- Every tenant read retired: the level is empty, or the rest is still to read.
      if not head.bound then
        setLive(st, level, false)
        level = level + 1
      end
      head = nil
    elseif head.bound and before(head.bound, head.list[1]) then
      writeHead(head)
      head = nil
    else
      popHead(p, head)
    end
  end
  if head then writeHead(head) end
  callAll('ZREM', deadlinesKey, p.undated, 1000)
  st.busy = st.busy + callAll('HSET', inflightKey, p.entries, 1000)
  st.picked = st.picked + #p.entries / 2
  -- One write per tenant and call; none when a tenant's ended and picked jobs weigh the same.
  for field, x in pairs(p.charged) do
    if x ~= 0 and tonumber(redis.call('HINCRBYFLOAT', pendingKey, field, fmt(x))) <= 1e-9 then
      -- Nothing left in flight (or jobs picked before pending existed): no rounding residue kept.
      redis.call('HDEL', pendingKey, field)
    end
  end
  saveState(st)
  return {p.promoted, p.expired}
end
