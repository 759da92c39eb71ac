--[[
  The Batch API's shared prelude: which batch statuses are final.

  The Batch API's state changes are each one script over one tenant's keys
  (one hash tag, see core keys.ts). A batch is driven by whichever api process
  holds its lease (`lease_owner` in the batch hash, with an expiry); every
  script of the runner checks the lease first, so a process that lost it (it
  stalled and another took over) can no longer write. Recording a result is
  not fenced: it is idempotent (one HSETNX per request) and any process may do it.

  KEYS
    none
  ARGV
    none
  Returns
    nothing: defines terminal(status) for the script that includes it
]]
local function terminal(st) return st == 'completed' or st == 'failed' or st == 'expired' or st == 'cancelled' end
