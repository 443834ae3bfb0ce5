package io.htmlgraph.sidecar.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.Tools;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium driven through its chromedriver (never a downloaded one: both paths are given, so
 * Selenium Manager has nothing to fetch), and axe-core from npm ({@code .ci/run} installs it into target/npm).
 * Missing tools skip the browser tests on a laptop and fail them in CI.
 */
final class Browser {
    static final Path AXE = Path.of("target/npm/node_modules/axe-core/axe.min.js");

    private Browser() {
    }

    static ChromeDriver start(Path profile) {
        Path chromium = Tools.require("chromium");
        Path driver = Tools.require("chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return browser;
    }

    /** axe-core's script, or a skip (a failure in CI) when npm has not installed it. */
    static String axe() {
        if (!Files.isRegularFile(AXE) && System.getenv("CI") != null) {
            fail("axe-core is missing: .ci/run installs it with npm into target/npm");
        }
        assumeTrue(Files.isRegularFile(AXE), "axe-core is not installed: npm install --no-save --prefix target/npm"
                                             + " axe-core@4.14.1");
        try {
            return Files.readString(AXE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser console's errors since the last call (a CSP violation is one). */
    static List<String> consoleErrors(ChromeDriver browser) {
        return browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(e -> e.getMessage()).toList();
    }

    /** The serious and critical violations axe-core finds on the page as it is now (id: nodes). */
    static List<String> seriousViolations(ChromeDriver browser, String axe) {
        JavascriptExecutor js = browser;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof axe !== 'undefined'"))) {
            js.executeScript(axe);
        }
        Object result = js.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
                + "  done(JSON.stringify(r.violations.filter(function (v) {"
                + "    return v.impact === 'serious' || v.impact === 'critical'; })));"
                + "}).catch(function (e) { done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])); });");
        try {
            JsonNode violations = TestSidecar.JSON.readTree((String) result);
            List<String> found = new java.util.ArrayList<>();
            for (JsonNode v : violations) {
                StringBuilder nodes = new StringBuilder();
                v.path("nodes").forEach(n -> nodes.append(' ').append(n.path("target")));
                found.add(v.path("id").asText() + " (" + v.path("help").asText() + "):" + nodes);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
