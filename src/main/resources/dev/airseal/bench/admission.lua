-- wrk script for `airseal bench admission`: posts the AdmissionReviews of a JSON-lines file
-- (one review per line, given after `--`, then the path and the pace in ms) round-robin, counts denials and non-200 answers, and
-- prints one machine-readable summary line that the bench parses.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  path = args[2] or "/validate"
  -- Milliseconds each connection waits after an answer before its next review (0: none). With N
  -- connections this offers about N * 1000 / pace reviews a second: latency at a given load rather
  -- than at saturation.
  pace = tonumber(args[3] or "0")
  -- Threads start at different offsets so they do not post the same review at the same moment.
  i = math.random(#bodies)
  denied = 0
  bad = 0
end

function delay()
  return pace
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
