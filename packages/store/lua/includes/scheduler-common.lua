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

  What a call pays does not grow with the jobs it moves where it need not: a
  level's head is read once for all the picks of a call and the virtual times
  it moved written back in one ZADD, picked jobs go into `inflight` in one
  HSET, and the pool's counters (`state`) are read in one HMGET and written
  in one HSET. Inside Redis a command costs a few thousand instructions, and
  so do converting a number (%.17g, tonumber), growing a table and creating a
  closure over many upvalues: the pick keeps its work in locals of one
  function and converts each number once.

  Numbers go to Redis as %.17g: Lua's default keeps 14 digits.

  KEYS
    none read here (each script's KEYS[1] only routes)
  ARGV
    [1] base   the pool's key base
  Returns
    nothing: defines base, the pool's key names, fmt, num, readyKey,
    backlogKey, callAll, state, retire, unqueue and pick for the script that includes it
]]
local base = ARGV[1]

-- Keys every call uses; the others (`retrying`, `saved`, `deadlines`, `pending`: level|tenant -> the
-- estimates (tokens / weight) charged for its jobs in flight and not yet corrected) are built where used.
local inflightKey = base .. 'inflight'
local stateKey = base .. 'state'
local function fmt(x) return string.format('%.17g', x) end
-- A number of the arguments or of a stored entry: estimates and weights repeat from job to job, and
-- a table lookup costs a fraction of a tonumber.
local nums = {}
local function num(s)
  local v = nums[s]
  if not v then
    v = tonumber(s)
    nums[s] = v
  end
  return v
end
local function readyKey(level) return base .. 'ready:' .. level end
local function backlogKey(level, tenant) return base .. 'q:' .. level .. ':' .. tenant end

-- One command with key and the values of list, in chunks of step (even for pairs): unpack takes a few
-- thousand values at most. Returns the sum of the replies.
local function callAll(cmd, key, list, step)
  local n, sum = #list, 0
  if n == 0 then return 0 end
  if n <= step then return redis.call(cmd, key, unpack(list)) end
  for i = 1, n, step do
    sum = sum + redis.call(cmd, key, unpack(list, i, math.min(i + step - 1, n)))
  end
  return sum
end

-- The pool's counters (`state` hash): capacity (`cap`, set by capacity statements), jobs ever picked,
-- `live` (bit n set: level n may have tenants ready; set when a tenant enters it, cleared only when a
-- pick finds it empty), and `clock<level>`, the virtual time at which the level's latest job started
-- (written by the pick that moved it, read by a tenant entering the level). state() reads them once
-- a call (a pool without the hash has all levels live); the pick writes back what changed.
local counters
local function state()
  if not counters then
    local v = redis.call('HMGET', stateKey, 'cap', 'picked', 'live')
    counters = {cap = tonumber(v[1]) or 0, picked = tonumber(v[2]) or 0, live = tonumber(v[3]) or 7}
    counters.capRead, counters.liveRead = counters.cap, counters.live
  end
  return counters
end

-- A tenant's backlog at a level emptied: keep its virtual time for when it comes back.
local function retire(level, tenant, vt)
  redis.call('ZREM', readyKey(level), tenant)
  redis.call('HSET', base .. 'saved', level .. '|' .. tenant, fmt(vt))
end

-- Removes one job from its tenant's backlog by id; true when it was there.
local function unqueue(level, tenant, id)
  local q = backlogKey(level, tenant)
  local found = redis.call('ZRANGEBYLEX', q, '[' .. id .. '|', '(' .. id .. '}', 'LIMIT', 0, 1)
  if not found[1] then return false end
  redis.call('ZREM', q, found[1])
  redis.call('ZREM', base .. 'deadlines', level .. '|' .. tenant .. '|' .. id)
  if redis.call('ZCARD', q) == 0 then
    retire(level, tenant, tonumber(redis.call('ZSCORE', readyKey(level), tenant) or '0'))
  end
  return true
end

-- (ta, va) before (tb, vb) in a level's ready set: less virtual time, or equal and the tenant's name
-- first byte by byte, as a sorted set orders equal scores (Lua's < on strings follows the locale).
local function before(ta, va, tb, vb)
  if va ~= vb then return va < vb end
  if ta == tb then return false end
  for i = 1, math.min(#ta, #tb) do
    local x, y = string.byte(ta, i), string.byte(tb, i)
    if x ~= y then return x < y end
  end
  return #ta < #tb
end

-- The head's moved virtual times, back into the level's ready set in one ZADD.
local function writeHead(lv, head, h, moved)
  local args = {}
  for i = h, #head, 2 do
    if moved[head[i]] then
      local n = #args
      args[n + 1], args[n + 2] = fmt(head[i + 1]), head[i]
    end
  end
  callAll('ZADD', readyKey(lv), args, 1000)
end

-- Picks jobs in the order of service while the pool has free slots. now: the time (ms), as a string.
-- pending: level|tenant -> change of its pending estimates so far (finish passes what ended), or nil.
-- Returns {picked, expired}: picked as id, in-flight entry pairs (the entry as in schedulerKeys:
-- level|tenant|estimate|weight|now|attempts|model, what the caller hands to BullMQ); expired (deadline
-- passed while queued) as id, tenant pairs.
--
-- A level's head is read once for several picks: its first tenants and their virtual times, in order,
-- in the ZRANGE reply itself (head, from index h) and, when the level has more, the last of them as
-- read (bT, bV). Every tenant not read comes after that one, so the head's first tenant is the level's
-- next while it does not come after it; once it does, the moved times are written and the head read
-- again. A level's only tenant pops every free slot's job at once. A pop that comes back short found
-- its backlog empty (emptied at an earlier pick: found here rather than paying a ZCARD on every pick):
-- the tenant retires.
local function pick(now, pending)
  local c = state()
  local expired, entries, undated, charged, clocks = {}, {}, {}, pending or {}, {}
  local free, budget, stamp = c.cap - redis.call('HLEN', inflightKey), 1000, now
  local level, lv, head, h, bT, bV, moved = 0, '0', nil, 1, nil, nil, nil
  now = tonumber(now)
  while free > 0 and level <= 2 and budget > 0 do
    budget = budget - 1
    if not head and bit.band(c.live, bit.lshift(1, level)) == 0 then
      level = level + 1
    elseif not head then
      -- One more than the free slots, so that a pick rarely reads again; one for one slot. The level's
      -- name in keys and replies without converting a number.
      local n = free > 1 and math.min(free + 1, 256) or 1
      lv = level == 0 and '0' or level == 1 and '1' or '2'
      head, h, moved, bT, bV = redis.call('ZRANGE', readyKey(lv), 0, n - 1, 'WITHSCORES'), 1, {}, nil, nil
      for i = 2, #head, 2 do head[i] = tonumber(head[i]) end
      if #head == 2 * n then bT, bV = head[2 * n - 1], head[2 * n] end
    elseif not head[h] and not bT then
      -- Every tenant of the level retired: it is empty.
      c.live, level, head = bit.band(c.live, 7 - bit.lshift(1, level)), level + 1, nil
    elseif not head[h] or (bT and before(bT, bV, head[h], head[h + 1])) then
      -- Past what was read: write the moved times and read again.
      writeHead(lv, head, h, moved)
      head = nil
    else
      local tenant, vt = head[h], head[h + 1]
      local n = (not bT and not head[h + 2]) and free or 1
      local jobs = redis.call('ZPOPMIN', backlogKey(lv, tenant), n)
      for i = 1, #jobs, 2 do
        local id, est, w, attempts, deadline, model = string.match(jobs[i], '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
        if deadline ~= '' then undated[#undated + 1] = lv .. '|' .. tenant .. '|' .. id end
        if deadline ~= '' and tonumber(deadline) <= now then
          local k = #expired
          expired[k + 1], expired[k + 2] = id, tenant
        else
          local cost, field, k = num(est) / num(w), lv .. '|' .. tenant, #entries
          clocks[lv] = vt
          charged[field] = (charged[field] or 0) + cost
          vt = vt + cost
          entries[k + 1] = id
          entries[k + 2] = lv .. '|' .. tenant .. '|' .. est .. '|' .. w .. '|' .. stamp .. '|' .. attempts .. '|' .. model
          free = free - 1
        end
      end
      if #jobs < 2 * n then
        retire(lv, tenant, vt)
        h = h + 2
      else
        -- Charged (or only expired jobs): back to its place in the head.
        if vt ~= head[h + 1] then moved[tenant] = true end
        local i = h
        while head[i + 2] and before(head[i + 2], head[i + 3], tenant, vt) do
          head[i], head[i + 1], i = head[i + 2], head[i + 3], i + 2
        end
        head[i], head[i + 1] = tenant, vt
      end
    end
  end
  if head then writeHead(lv, head, h, moved) end
  -- Then the jobs handed over (HSET inflight), their deadlines (ZREM), each tenant's pending estimates
  -- (HINCRBYFLOAT, none when its ended and picked jobs weigh the same) and the counters that changed.
  if undated[1] then callAll('ZREM', base .. 'deadlines', undated, 1000) end
  callAll('HSET', inflightKey, entries, 1000)
  for field, x in pairs(charged) do
    if x ~= 0 and tonumber(redis.call('HINCRBYFLOAT', base .. 'pending', field, fmt(x))) <= 1e-9 then
      -- Nothing left in flight (or jobs picked before pending existed): no rounding residue kept.
      redis.call('HDEL', base .. 'pending', field)
    end
  end
  local args = {}
  if entries[1] then args[1], args[2] = 'picked', string.format('%d', c.picked + #entries / 2) end
  if c.live ~= c.liveRead then
    local k = #args
    args[k + 1], args[k + 2] = 'live', string.format('%d', c.live)
  end
  if c.cap ~= c.capRead then
    local k = #args
    args[k + 1], args[k + 2] = 'cap', string.format('%d', c.cap)
  end
  for l, clock in pairs(clocks) do
    local k = #args
    args[k + 1], args[k + 2] = 'clock' .. l, fmt(clock)
  end
  if args[1] then redis.call('HSET', stateKey, unpack(args)) end
  return {entries, expired}
end
