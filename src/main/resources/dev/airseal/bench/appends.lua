-- wrk script for `airseal bench log`: posts the pre-signed proposals of a JSON-lines file (given
-- after `--`, then the path), each exactly once, so that every 201 is a new entry. Run with one
-- wrk thread (-t1): the position in the file is per thread. Counts 201, 409 and anything else, and
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
  path = args[2] or "/api/v1/log/entries"
  i = 0
  created = 0
  duplicate = 0
  bad = 0
  -- Requests asked for after the last proposal went out. Reposting would draw 409s, so these read
  -- the log instead, and the bench refuses the run: it needs more proposals.
  exhausted = 0
end

function request()
  i = i + 1
  if i > #bodies then
    exhausted = exhausted + 1
    return wrk.format("GET", "/api/v1/log")
  end
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, bodies[i])
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 409 then
    duplicate = duplicate + 1
  elseif not (status == 200 and exhausted > 0) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local c, d, b, x = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    d = d + t:get("duplicate")
    b = b + t:get("bad")
    x = x + t:get("exhausted")
  end
  io.write(string.format(
      "AIRSEAL requests=%d micros=%d p50=%d p99=%d p999=%d max=%d created=%d duplicate=%d bad=%d exhausted=%d errors=%d\n",
      summary.requests, summary.duration, math.floor(latency:percentile(50)), math.floor(latency:percentile(99)),
      math.floor(latency:percentile(99.9)), math.floor(latency.max), c, d, b, x,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
