--[[
  scheduler stats (read-only): the pool's backlog for metrics and operators:
  per level, each tenant with its virtual time, queued jobs, oldest job id and
  that job's weight (the weight its tenant had when it submitted: the one the
  next pick charges); then capacity, jobs in flight and jobs picked.

  KEYS
    [1] (routing only) the pool's inflight hash
  ARGV
    [1] base   the pool's key base
  Returns
    {levels, cap, inflight, picked}: levels[l+1] is a flat list of tenant,
    virtual time, queued, oldest id, its weight (at most 1000 tenants a level)
]]
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
local counters = redis.call('HMGET', base .. 'state', 'cap', 'picked')
return {levels, counters[1] or '0', redis.call('HLEN', base .. 'inflight'), counters[2] or '0'}
