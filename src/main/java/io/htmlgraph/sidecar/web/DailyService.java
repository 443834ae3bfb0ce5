package io.htmlgraph.sidecar.web;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.query.DailyQueries;

/**
 * {@code GET /api/daily?days=N} (1–3660, default 30): events, errors, tool calls, tokens by type and cost per day,
 * oldest first; pruned days come from the roll-ups retention writes, so the history outlives the events.
 * <pre>
 * curl 'http://127.0.0.1:8080/api/daily?days=7'
 * [{"day":"2026-11-30","events":1520,"errors":3,"tool_calls":610,"input_tokens":0,...,"cost_usd":1.25}]
 * </pre>
 */
final class DailyService implements HttpService {
    static final int MAX_DAYS = 3660;

    private final DailyQueries daily;
    private final Answers answers;

    DailyService(DailyQueries daily, Answers answers) {
        this.daily = daily;
        this.answers = answers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::getDaily);
    }

    private void getDaily(ServerRequest req, ServerResponse res) {
        int days = new QueryParams(req).number("days", 30, 1, MAX_DAYS);
        answers.send(res, "daily", QueryParams.key("days", days), () -> daily.daily(days));
    }
}
