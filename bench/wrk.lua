-- wrk script for bench/run. Each line of the file named by $BENCH_REQUESTS is "path<TAB>cookie"
-- (the cookie may be empty); every connection cycles through them. Any status but 200 is counted
-- as an error (a redirect to the sign-in page would otherwise look like a success).
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local reqs, next_index = {}, 0
non200 = 0 -- a global: done() reads it from each thread

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local path, cookie = line:match("^([^\t]*)\t?(.*)$")
    local headers = {}
    if cookie ~= "" then
      headers["Cookie"] = cookie
    end
    table.insert(reqs, wrk.format("GET", path, headers))
  end
end

function request()
  next_index = next_index % #reqs + 1
  return reqs[next_index]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "non200": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max
  ))
end
