-- Replays pre-signed requests written by bench/run.ts. Usage:
--   wrk -t1 -c16 -d5s --latency -s bench/wrk-replay.lua http://127.0.0.1:PORT/ -- REQUEST_FILE
-- REQUEST_FILE holds one request per block: "Name: value" header lines, then one "BODY <json>"
-- line that ends the block. Each thread cycles through all requests, starting at its own offset.

local threadCount = 0

function setup(thread)
  thread:set("threadIndex", threadCount)
  threadCount = threadCount + 1
end

local requests = {}
local position = 1

function init(args)
  local file = assert(io.open(args[1], "r"))
  local headers = {}
  for line in file:lines() do
    if line:sub(1, 5) == "BODY " then
      requests[#requests + 1] = wrk.format("POST", "/", headers, line:sub(6))
      headers = {}
    else
      local name, value = line:match("^([^:]+): (.*)$")
      headers[name] = value
    end
  end
  file:close()
  assert(#requests > 0, "no requests in " .. args[1])
  position = ((threadIndex or 0) * 997) % #requests + 1
end

function request()
  local r = requests[position]
  position = position % #requests + 1
  return r
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%.0f,"p99Us":%.0f,"non2xx":%d,"socketErrors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
