package io.htmlgraph.sidecar.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** The shipped Grafana dashboards only query what the exporter produces, on the provisioned datasource. */
class DashboardsTest {
    /** Series Prometheus itself adds to every scrape target. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up", "scrape_duration_seconds",
            "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");

    @Test
    void everyQuery_namesOnlyMetricsTheExporterProduces() {
        Set<String> produced = new HashSet<>(FROM_PROMETHEUS);
        try (TestSidecar sidecar = TestSidecar.start(Map.of("demo", "true"))) {
            Exposition.parse(sidecar.scrape()).types().forEach((family, type) -> {
                produced.add(family);
                if (type.equals("histogram") || type.equals("summary")) {
                    produced.addAll(List.of(family + "_bucket", family + "_count", family + "_sum"));
                }
            });
        }
        List<String> unknown = new ArrayList<>();
        for (Dashboards.Query query : Dashboards.queries()) {
            Set<String> names = Dashboards.metricNames(query.expr());
            if (names.isEmpty()) {
                unknown.add(query.panel() + ": no metric in '" + query.expr() + "'");
            }
            names.stream().filter(name -> !produced.contains(name))
                    .forEach(name -> unknown.add(query.panel() + ": " + name));
        }
        assertThat(unknown, is(empty()));
    }

    @Test
    void everyPanel_queriesTheProvisionedDatasource_andFiltersBySidecar() {
        List<Dashboards.Query> queries = Dashboards.queries();
        assertThat(queries.size(), greaterThan(40));
        for (Dashboards.Query query : queries) {
            assertThat(query.panel(), query.datasource().path("uid").asText(), is("prometheus"));
            assertThat(query.panel(), query.expr(), containsString("instance=~\"$instance\""));
        }
        Set<String> uids = new HashSet<>();
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            assertThat(file + " has a unique uid", uids.add(dashboard.path("uid").asText()), is(true));
        }
        assertThat(uids, is(Set.of("htmlgraph-fleet", "htmlgraph-tokens-cost", "htmlgraph-spawners",
                                   "htmlgraph-sidecar-health")));
    }

    @Test
    void metricNames_areFoundInsidePromql() {
        assertThat(Dashboards.metricNames("histogram_quantile(0.99, sum by (le) (rate(a_bucket{x=~\"$y\"}[5m])))"
                                          + " / clamp_min(b_total, 1e-9) and on (instance) c"),
                   is(Set.of("a_bucket", "b_total", "c")));
    }
}
