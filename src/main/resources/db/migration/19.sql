-- Cost per tool call: the API request whose answer asked for each tool call, read from the transcript (the tool_use
-- block's id in that request's assistant message). A tool call's share is its request's figures divided by the calls
-- that request made; the requests that made no call (a turn's answer) stay on their turn only. Joined to api_requests
-- on request_key, so the request's figures are whichever source won there (telemetry's exact cost over a price).
CREATE TABLE tool_call_requests (
    session_id  TEXT NOT NULL,
    tool_use_id TEXT NOT NULL,
    tool_name   TEXT NOT NULL,
    request_key TEXT NOT NULL,
    PRIMARY KEY (session_id, tool_use_id)
) WITHOUT ROWID;
CREATE INDEX idx_tool_call_requests_request ON tool_call_requests(request_key);
-- a request pruned by retention takes its calls' links with it
CREATE TRIGGER tool_call_requests_prune AFTER DELETE ON api_requests BEGIN
    DELETE FROM tool_call_requests WHERE request_key = OLD.request_key; END;
