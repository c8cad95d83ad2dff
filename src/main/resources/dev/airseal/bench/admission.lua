-- wrk script for `airseal bench admission`: posts the AdmissionReviews of a JSON-lines file
-- (one review per line, given after `--`, then the path and the offered rate per second)
-- round-robin, counts denials and non-200 answers, and prints one machine-readable summary line
-- that the bench parses.
local threads = {}

-- A wall clock for the schedule: wrk's Lua has none finer than seconds, its LuaJIT has the FFI.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } airseal_timespec;
int clock_gettime(int clk_id, airseal_timespec *tp);
]]
local ts = ffi.new("airseal_timespec")
local CLOCK_MONOTONIC = 1

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  path = args[2] or "/validate"
  -- Reviews a second this thread offers (0: as fast as answers come). Sends follow a fixed
  -- schedule, one slot every 1000 / rate ms shared by all connections, so the offered load is the
  -- rate whatever the latency: latency at a given load rather than at saturation. A connection
  -- whose slot has passed sends at once; the schedule never lags more than one slot behind now,
  -- so a stall is not followed by a burst that makes up for it.
  rate = tonumber(args[3] or "0")
  interval = rate > 0 and 1000 / rate or 0
  slot = nil
  -- Threads start at different offsets so they do not post the same review at the same moment.
  i = math.random(#bodies)
  denied = 0
  bad = 0
end

function delay()
  if interval == 0 then
    return 0
  end
  local now = now_ms()
  if slot == nil or slot < now - interval then
    slot = now
  end
  slot = slot + interval
  -- wrk waits whole milliseconds: sends are at most 1 ms early, never more than the rate on average.
  return math.max(0, slot - now)
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, bodies[i])
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  elseif not string.find(body, '"allowed":true', 1, true) then
    denied = denied + 1
  end
end

function done(summary, latency, requests)
  local d, b = 0, 0
  for _, t in ipairs(threads) do
    d = d + t:get("denied")
    b = b + t:get("bad")
  end
  io.write(string.format(
      "AIRSEAL requests=%d micros=%d p50=%d p99=%d p999=%d max=%d denied=%d bad=%d errors=%d\n",
      summary.requests, summary.duration, math.floor(latency:percentile(50)), math.floor(latency:percentile(99)),
      math.floor(latency:percentile(99.9)), math.floor(latency.max), d, b,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
