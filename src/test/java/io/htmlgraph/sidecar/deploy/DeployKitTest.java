package io.htmlgraph.sidecar.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The deployment kit as a platform team needs it (no container engine runs here, so the files are read, not run):
 * the Containerfile, the compose stack and the Kubernetes manifests.
 */
class DeployKitTest {
    private static final Path KUBERNETES = Path.of("deploy", "kubernetes");
    private static final Pattern IMAGE = Pattern.compile("(?m)^\\s*(?:FROM|image:)\\s+(\\S+)");
    private static final Pattern LAUNCHER_OPTIONS = Pattern.compile("SIDECAR_JAVA_OPTS:-\"([^\"]+)\"");
    private static final Pattern CONTAINER_OPTIONS = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]+)\"");

    @Test
    void containerfile_buildsWithMaven_andRunsAsNonRootOnAJre() throws IOException {
        String file = Files.readString(Path.of("Containerfile"));
        assertThat(file, containsString("FROM maven:"));
        assertFound(file, "^FROM eclipse-temurin:2[1-9][.\\d_]*-jre$");
        assertFound(file, "^USER [1-9]\\d*:[1-9]\\d*$");
        assertThat(file, containsString("EXPOSE 8080 9464"));
        assertThat(file, containsString("VOLUME [\"/data\"]"));
        assertFound(file, "HEALTHCHECK [^\\n]*\\n[^\\n]*/health/ready HTTP/1\\.1");
        Matcher options = CONTAINER_OPTIONS.matcher(file);
        assertThat("JAVA_TOOL_OPTIONS in the Containerfile", options.find(), is(true));
        assertThat("the image runs with the launcher's JVM options", options.group(1), is(launcherOptionsForImage()));
        assertThat(file, containsString("org.opencontainers.image.title"));
        for (String source : List.of("pom.xml", "checkstyle.xml", "src")) {
            assertThat(source, Files.exists(Path.of(source)), is(true));
        }
    }

    @Test
    void everyImage_hasAPinnedTag() throws IOException {
        List<String> unpinned = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(Path.of("Containerfile"), Path.of("deploy/compose/compose.yaml")));
        try (Stream<Path> manifests = Files.list(KUBERNETES)) {
            files.addAll(manifests.toList());
        }
        for (Path file : files) {
            Matcher m = IMAGE.matcher(Files.readString(file));
            while (m.find()) {
                String tag = m.group(1).contains(":") ? m.group(1).substring(m.group(1).lastIndexOf(':') + 1) : "";
                if (tag.isEmpty() || tag.equals("latest") || tag.contains("/")) {
                    unpinned.add(file + ": " + m.group(1));
                }
            }
        }
        assertThat(unpinned, is(empty()));
    }

    @Test
    void compose_runsSidecarPrometheusAndGrafana_hardened_withHealthchecksAndProvisioning() throws IOException {
        Map<String, Object> services = map(load(Path.of("deploy/compose/compose.yaml")).get(0), "services");
        assertThat(services.keySet(), hasItems("sidecar", "prometheus", "grafana"));
        services.forEach((name, service) -> assertThat(name + " healthcheck",
                                                       map(service, "healthcheck").containsKey("test"), is(true)));
        Map<String, Object> sidecar = map(services, "sidecar");
        Map<String, Object> env = map(sidecar, "environment");
        assertThat(env.get("HTMLGRAPH_HOST"), is("0.0.0.0"));
        assertThat((String) env.get("HTMLGRAPH_WRITE_TOKEN"), containsString(":?")); // compose refuses without one
        assertThat(env.get("HTMLGRAPH_DEMO"), is("${HTMLGRAPH_DEMO:-false}"));
        assertThat(sidecar.get("read_only"), is(true));
        assertThat(list(sidecar, "cap_drop"), hasItem("ALL"));
        assertFound(list(sidecar, "tmpfs").get(0).toString(), "^/tmp:.*\\bexec\\b");
        assertThat(list(sidecar, "volumes"), hasItem("sidecar-data:/data"));
        services.values().forEach(service -> list(service, "ports")
                .forEach(port -> assertThat(port.toString(), startsWith("127.0.0.1:"))));
        Path compose = Path.of("deploy/compose");
        for (String name : List.of("prometheus", "grafana")) {
            for (Object volume : list(map(services, name), "volumes")) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(volume.toString(), Files.exists(compose.resolve(source)), is(true));
                }
            }
        }
        String scrape = Files.readString(Path.of("deploy/prometheus/prometheus.yml"));
        assertThat(scrape, containsString("sidecar:9464"));
    }

    @Test
    void kubernetesPod_runsTheSidecarAsANativeSidecar_probedOnTheAdminPort_restricted() throws IOException {
        Map<String, Object> pod = map(map(load(KUBERNETES.resolve("agent-pod.yaml")).get(0), "spec"), "template");
        Map<String, Object> spec = map(pod, "spec");
        assertThat(map(spec, "securityContext").get("runAsNonRoot"), is(true));
        assertThat(map(map(spec, "securityContext"), "seccompProfile").get("type"), is("RuntimeDefault"));
        Map<String, Object> sidecar = map(list(spec, "initContainers").get(0), "");
        assertThat(sidecar.get("restartPolicy"), is("Always"));
        assertThat(list(sidecar, "ports").stream().map(p -> ((Map<?, ?>) p).get("containerPort")).toList(),
                   is(List.of(8080, 9464)));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> get = map(map(sidecar, probe), "httpGet");
            assertThat(probe, get.get("port"), is("metrics"));
            assertThat(probe, get.get("path").toString(), startsWith("/health/"));
        }
        Map<String, Object> security = map(sidecar, "securityContext");
        assertThat(security.get("runAsNonRoot"), is(true));
        assertThat(security.get("readOnlyRootFilesystem"), is(true));
        assertThat(security.get("allowPrivilegeEscalation"), is(false));
        assertThat(list(map(security, "capabilities"), "drop"), is(List.of("ALL")));
        assertThat(list(sidecar, "volumeMounts").stream().map(m -> ((Map<?, ?>) m).get("mountPath")).toList(),
                   is(List.of("/data", "/tmp")));
        assertThat(map(map(sidecar, "resources"), "limits").containsKey("memory"), is(true));
        Map<String, Object> env = new HashMap<>();
        list(sidecar, "env").forEach(e -> env.put((String) ((Map<?, ?>) e).get("name"), e));
        assertThat(map(env.get("HTMLGRAPH_HOST"), "").get("value"), is("127.0.0.1"));
        assertThat("the pod runs with the launcher's JVM options", map(env.get("JAVA_TOOL_OPTIONS"), "").get("value"),
                   is(launcherOptionsForImage()));
        // the pod's budget covers the sidecar's grace for requests in flight plus the writer's drain and checkpoint
        int grace = Integer.parseInt(map(env.get("HTMLGRAPH_SHUTDOWN_GRACE"), "").get("value").toString()
                                             .replace("s", ""));
        assertThat((Integer) spec.get("terminationGracePeriodSeconds") >= grace + 10, is(true));
        assertThat(map(map(env.get("HTMLGRAPH_WRITE_TOKEN"), "valueFrom"), "secretKeyRef").get("name"),
                   is("htmlgraph-sidecar"));
        for (Object container : list(spec, "containers")) {
            assertThat(map(map(container, ""), "securityContext").get("allowPrivilegeEscalation"), is(false));
        }
    }

    @Test
    void serviceAndMonitors_selectThePod_onItsMetricsPort() throws IOException {
        Map<String, Object> podLabels = map(map(map(map(load(KUBERNETES.resolve("agent-pod.yaml")).get(0), "spec"),
                                                    "template"), "metadata"), "labels");
        Map<String, Object> service = load(KUBERNETES.resolve("service.yaml")).get(0);
        assertThat(podLabels.entrySet().containsAll(map(map(service, "spec"), "selector").entrySet()), is(true));
        assertThat(map(list(map(service, "spec"), "ports").get(0), "").get("targetPort"), is(9464));
        Map<String, Object> serviceMonitor = map(load(KUBERNETES.resolve("servicemonitor.yaml")).get(0), "spec");
        assertThat(map(map(service, "metadata"), "labels").entrySet()
                           .containsAll(map(map(serviceMonitor, "selector"), "matchLabels").entrySet()), is(true));
        assertThat(map(list(serviceMonitor, "endpoints").get(0), "").get("port"), is("metrics"));
        Map<String, Object> podMonitor = map(load(KUBERNETES.resolve("podmonitor.yaml")).get(0), "spec");
        assertThat(podLabels.entrySet().containsAll(map(map(podMonitor, "selector"), "matchLabels").entrySet()),
                   is(true));
        assertThat(map(list(podMonitor, "podMetricsEndpoints").get(0), "").get("port"), is("metrics"));
    }

    /**
     * The launcher's JVM options (the {@code sidecar} script) as a container runs them: without the class data
     * archive and the kept copy of SQLite's native library, which need a writable path, and exiting on a heap OOM so
     * that the container is restarted.
     */
    private static String launcherOptionsForImage() throws IOException {
        Matcher m = LAUNCHER_OPTIONS.matcher(Files.readString(Path.of("sidecar")));
        assertThat("SIDECAR_JAVA_OPTS in the launcher", m.find(), is(true));
        return Stream.of(m.group(1).split(" "))
                .filter(o -> !o.contains("SharedArchive") && !o.startsWith("-Xlog:cds")
                             && !o.startsWith("-Dhtmlgraph.native-dir"))
                .collect(Collectors.joining(" ")) + " -XX:+ExitOnOutOfMemoryError";
    }

    private static void assertFound(String text, String regex) {
        assertThat("/" + regex + "/ in:\n" + text, Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(),
                   is(true));
    }

    private static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            new Yaml().loadAll(reader).forEach(document -> documents.add(map(document, "")));
        }
        return documents;
    }

    /** {@code node.key} as a map ({@code key} empty: the node itself); missing is an empty map. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String key) {
        Object value = key.isEmpty() ? node : ((Map<String, Object>) node).get(key);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static List<Object> list(Object node, String key) {
        Object value = ((Map<?, ?>) node).get(key);
        return value == null ? List.of() : new ArrayList<>((List<?>) value);
    }
}
