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
 * The store-wide totals row (sessions, ended sessions, events; migration 8) that {@code /api/initial-stats} and the
 * session count read equals a count from scratch after concurrent writers (group commits mixing accepted and
 * refused requests), sessions ending, and upkeep.
 */
class StoreTotalsTest {
    private static final String RECOUNT = "SELECT count(*) AS sessions, coalesce(sum(status = 'ended'), 0) AS ended, "
            + "coalesce(sum(total_events), 0) AS events FROM sessions";
    private static final String KEPT = "SELECT sessions, ended, events FROM store_totals WHERE id = 1";

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
            assertThat(((Number) sidecar.value("SELECT ended FROM store_totals")).longValue(), is(3L));
            Map<String, Object> kept = sidecar.rows(KEPT).get(0);
            assertThat(sidecar.get("/api/initial-stats").json().get("total_sessions").asLong(),
                       is(((Number) kept.get("sessions")).longValue()));
            assertThat(sidecar.get("/api/initial-stats").json().get("total_events").asLong(),
                       is(((Number) kept.get("events")).longValue()));
            assertThat(sidecar.get("/api/sessions?status=ended").json().get("total").asLong(), is(3L));
            assertThat(sidecar.get("/api/sessions").json().get("total").asLong(), is(6L));
        }
    }

    private static void work(TestSidecar sidecar, String session, boolean end) {
        sidecar.hooks(Hooks.sessionStart(session, "claude-opus-4-5"), Hooks.prompt(session, "do it"));
        for (int i = 0; i < 5; i++) {
            String id = session + "-call-" + i;
            sidecar.hooks(Hooks.pre(session, "Bash", id, Hooks.bash("ls " + i)).toString(),
                          Hooks.post(session, "Bash", id, Hooks.bash("ls " + i), 12, "ok").toString());
            // refused in the middle of other clients' group commits: must leave no trace
            sidecar.post("/api/hooks", "[" + Hooks.prompt(session + "-refused", "x") + ", {\"session_id\": 5}]");
        }
        sidecar.hooks(Hooks.stop(session, "done"));
        if (end) {
            sidecar.hooks(Hooks.sessionEnd(session, "exit"));
        }
    }
}
