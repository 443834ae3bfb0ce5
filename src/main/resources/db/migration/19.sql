-- Cost per tool call: the API request whose answer asked for each tool call, read from the transcript (the tool_use
-- block's id in that request's assistant message). A tool call's share is its request's figures divided by the calls
-- that request made; the requests that made no call (a turn's answer) stay on their turn only. Joined to api_requests
-- on request_key, so the request's figures are whichever source won there (telemetry's exact cost over a price).
-- share_tokens / share_cost_usd hold that share as it stands (the writer recomputes a request's shares when its
-- figures or its calls change), and tool_totals sums them per tool for the metrics: a running total that pruning
-- does not lower (like the roll-ups of pruned events).
CREATE TABLE tool_call_requests (
    session_id     TEXT NOT NULL,
    tool_use_id    TEXT NOT NULL,
    tool_name      TEXT NOT NULL,
    request_key    TEXT NOT NULL,
    share_tokens   REAL,
    share_cost_usd REAL,
    PRIMARY KEY (session_id, tool_use_id)
) WITHOUT ROWID;
CREATE INDEX idx_tool_call_requests_request ON tool_call_requests(request_key);
CREATE TABLE tool_totals (
    tool_name TEXT PRIMARY KEY,
    calls     INTEGER NOT NULL,
    tokens    REAL NOT NULL,
    cost_usd  REAL NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER tool_totals_insert AFTER INSERT ON tool_call_requests BEGIN
    INSERT INTO tool_totals (tool_name, calls, tokens, cost_usd) VALUES (NEW.tool_name, 1, coalesce(NEW.share_tokens, 0), coalesce(NEW.share_cost_usd, 0)) ON CONFLICT (tool_name) DO UPDATE SET calls = calls + 1, tokens = tokens + excluded.tokens, cost_usd = cost_usd + excluded.cost_usd; END;
CREATE TRIGGER tool_totals_update AFTER UPDATE OF share_tokens, share_cost_usd ON tool_call_requests BEGIN
    UPDATE tool_totals SET tokens = tokens + coalesce(NEW.share_tokens, 0) - coalesce(OLD.share_tokens, 0), cost_usd = cost_usd + coalesce(NEW.share_cost_usd, 0) - coalesce(OLD.share_cost_usd, 0) WHERE tool_name = NEW.tool_name; END;
-- a request pruned by retention takes its calls' links with it (tool_totals keeps what they added)
CREATE TRIGGER tool_call_requests_prune AFTER DELETE ON api_requests BEGIN
    DELETE FROM tool_call_requests WHERE request_key = OLD.request_key; END;
