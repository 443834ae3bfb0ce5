package io.htmlgraph.sidecar.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The store-wide totals row (sessions, ended sessions, events; migration 9) that {@code /api/initial-stats} and the
 * session count read equals a count from scratch after concurrent writers (group commits mixing accepted and
 * refused requests), sessions ending, and upkeep.
 */
class StoreTotalsTest {
    private static final String RECOUNT = "SELECT count(*) AS sessions, coalesce(sum(status = 'ended'), 0) AS ended, "
            + "coalesce(sum(total_events), 0) AS events FROM sessions";
    private static final String KEPT = "SELECT sessions, ended, events FROM store_totals WHERE id = 1";
    private static final String PRESENCE_RECOUNT = "SELECT agent_id, count(DISTINCT session_id) AS sessions, "
            + "max(last_event_at) AS last_at FROM session_agents GROUP BY agent_id ORDER BY agent_id";
    private static final String PRESENCE_KEPT = "SELECT agent_id, sessions, last_at FROM agent_presence ORDER BY 1";

    @Test
    void totalsRow_equalsRecount_afterConcurrentMixedWrites_andUpkeep() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int client = c;
                done.add(clients.submit(() -> work(sidecar, "tot-" + client, client % 2 == 0)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            clients.shutdown();
            sidecar.sidecar().upkeep().runNow();

            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.rows(PRESENCE_KEPT), is(sidecar.rows(PRESENCE_RECOUNT)));
            assertThat("two Explore runs in one session count one session",
                       sidecar.value("SELECT sessions FROM agent_presence WHERE agent_id = 'Explore'"), is(6));
            sidecar.execute("DELETE FROM sessions WHERE session_id = 'tot-1'"); // cascades to session_agents
            assertThat(sidecar.rows(KEPT), is(sidecar.rows(RECOUNT)));
            assertThat(sidecar.rows(PRESENCE_KEPT), is(sidecar.rows(PRESENCE_RECOUNT)));
            assertThat(((Number) sidecar.value("SELECT ended FROM store_totals")).longValue(), is(3L));
            Map<String, Object> kept = sidecar.rows(KEPT).get(0);
            assertThat(sidecar.get("/api/initial-stats").json().get("total_sessions").asLong(),
                       is(((Number) kept.get("sessions")).longValue()));
            assertThat(sidecar.get("/api/initial-stats").json().get("total_events").asLong(),
                       is(((Number) kept.get("events")).longValue()));
            assertThat(sidecar.get("/api/sessions?status=ended").json().get("total").asLong(), is(3L));
            assertThat(sidecar.get("/api/sessions").json().get("total").asLong(), is(5L));
        }
    }

    private static void work(TestSidecar sidecar, String session, boolean end) {
        sidecar.busyTurn(session);
        if (end) {
            sidecar.hooks(Hooks.sessionEnd(session, "exit"));
        }
    }
}
