-- Qamqor's wrk report: at the end of a run, print one line "QAMQOR_WRK_JSON {...}" that
-- bench/run.py parses (parse_wrk_output). Latencies are in microseconds, as wrk measures them.
-- Only done() is defined: a response() hook would make wrk slower than the servers it loads.

local function percentile(latency, p)
  return latency:percentile(p)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local errors = summary.errors
  local line = string.format(
    '{"requests": %d, "duration_s": %.6f, "requests_per_s": %.3f, "bytes": %d, '
      .. '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p95": %d, "p99": %d}, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}',
    summary.requests,
    seconds,
    summary.requests / seconds,
    summary.bytes,
    latency.mean,
    latency.max,
    percentile(latency, 50),
    percentile(latency, 95),
    percentile(latency, 99),
    errors.connect,
    errors.read,
    errors.write,
    errors.status,
    errors.timeout
  )
  io.write("QAMQOR_WRK_JSON " .. line .. "\n")
end
