-- wrk script for `./sidecar bench ingest`: POSTs the hook stream of IngestLoad.Sequence (a prompt, eight Bash calls
-- Pre/Post with the last one failing, a stop; 20 turns per session) to /api/hooks, one event or a JSON array of
-- HOOKS_BATCH events per request. wrk costs a third to a half of the Java load program's CPU per request, and the
-- load generator shares the server's cores.
--
-- Each wrk thread keeps 64 streams (lanes) and takes them in turn, so a session's next event is sent 64 requests
-- after its previous one, which has been answered by then: wrk does not say which connection asks for a request,
-- and events of one session must arrive in order. The run's id (HOOKS_RUN) keeps every run's sessions and tool
-- calls new. The last line printed has IngestLoad's form, which bench/run reads.

local LANES = 64
local batch = tonumber(os.getenv("HOOKS_BATCH") or "1")
local run = os.getenv("HOOKS_RUN") or "run"
local threads = {}
local lanes = {}
local next_lane = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function init(args)
  for lane = 1, LANES do
    lanes[lane] = { prefix = run .. "-w" .. thread_id .. "-l" .. lane, step = 0 }
  end
  wrk.headers["Content-Type"] = "application/json"
end

local function base(session, hook)
  return '{"session_id":"' .. session .. '","transcript_path":"/home/dev/.claude/projects/app/' .. session
      .. '.jsonl","cwd":"/home/dev/app","permission_mode":"default","hook_event_name":"' .. hook .. '"'
end

local function bash(turn)
  local command = "mvn -q test -Dtest=Case" .. turn
  return '"tool_input":{"command":"' .. command .. '","description":"run ' .. command .. '"}'
end

-- The event at the lane's next step, as Hooks.java writes it.
local function event(lane)
  local step = lane.step
  lane.step = step + 1
  local turn = math.floor(step / 18)
  local position = step % 18
  local session = lane.prefix .. "-s" .. math.floor(turn / 20)
  if position == 0 then
    return base(session, "UserPromptSubmit") .. ',"prompt":"Make test case ' .. turn .. ' pass"}'
  end
  if position == 17 then
    return base(session, "Stop") .. ',"stop_hook_active":false,"last_assistant_message":"Case ' .. turn
        .. ' passes now."}'
  end
  local use_id = lane.prefix .. "-tu" .. turn .. "-" .. math.floor((position - 1) / 2)
  local call = ',"tool_name":"Bash","tool_use_id":"' .. use_id .. '"'
  if position % 2 == 1 then
    return base(session, "PreToolUse") .. call .. "," .. bash(turn) .. "}"
  end
  if position == 16 then
    return base(session, "PostToolUseFailure") .. call
        .. ',"error":"Exit code 1","is_interrupt":false,"duration_ms":1200,' .. bash(turn) .. "}"
  end
  return base(session, "PostToolUse") .. call .. ',"duration_ms":120,' .. bash(turn)
      .. ',"tool_response":{"stdout":"BUILD SUCCESS","stderr":"","interrupted":false}}'
end

local verified = false

function request()
  -- wrk calls request() once in its first thread before the run, to check it: that body is never sent.
  if thread_id == 1 and not verified then
    verified = true
    return wrk.format("POST", nil, nil, "{}")
  end
  next_lane = next_lane % LANES + 1
  local lane = lanes[next_lane]
  local body
  if batch == 1 then
    body = event(lane)
  else
    local events = {}
    for i = 1, batch do
      events[i] = event(lane)
    end
    body = "[" .. table.concat(events, ",") .. "]"
  end
  return wrk.format("POST", nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.timeout + errors.status
  local seconds = summary.duration / 1e6
  local ok = summary.requests - failed
  io.write(string.format("%-8s batch=%-4d connections=%s requests=%d events=%d errors=%d  %.0f events/s  "
      .. "%.0f req/s  latency ms p50=%.2f p99=%.2f p99.9=%.2f max=%.2f\n",
      os.getenv("HOOKS_PHASE") or "measured", batch, os.getenv("HOOKS_CONNECTIONS") or "?", summary.requests,
      ok * batch, failed, ok * batch / seconds, summary.requests / seconds, latency:percentile(50) / 1e3,
      latency:percentile(99) / 1e3, latency:percentile(99.9) / 1e3, latency.max / 1e3))
end
