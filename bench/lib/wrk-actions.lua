-- wrk script for bench/actions.ts (bench/lib/action-load.ts): POST /v1/agentburnout/action through
-- `agents` distinct agents in the same scattered order as the autocannon load (request i is for agent
-- i × stride mod agents), every request formatted once in init; done() prints one JSON line.
-- Arguments after wrk's `--`: token, organization id, agents, stride.
local requests = {}
local count = 0
local next_request = 0

function init(args)
  local token, org, agents, stride = args[1], args[2], tonumber(args[3]), tonumber(args[4])
  local headers = {
    ["authorization"] = "Bearer " .. token,
    ["x-organization-id"] = org,
    ["content-type"] = "application/json",
  }
  for i = 0, agents - 1 do
    local agent = (i * stride) % agents
    local body = '{"agentId":"bench-agent-' .. agent .. '","actionType":"Break Played","clientId":"bench"}'
    requests[i + 1] = wrk.format("POST", "/v1/agentburnout/action", headers, body)
  end
  count = agents
  -- wrk calls request() once after init to check what it returns, and sends that one never: start one
  -- back so that the first request sent is request 0.
  next_request = count - 1
end

function request()
  next_request = next_request % count + 1
  return requests[next_request]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
