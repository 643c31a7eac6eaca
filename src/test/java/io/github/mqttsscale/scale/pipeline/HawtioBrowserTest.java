package io.github.mqttsscale.scale.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.hx711.Hx711RejectReason;
import io.github.mqttsscale.scale.testsupport.HeadlessChromium;

/**
 * Hawtio in a real headless Chromium, against the running scale (simulated HX711, real broker over TLS), under the
 * app's Jolokia policy (jolokia-access.xml): logged in through the login form, each view shows what a person looks
 * for, and none of the Jolokia calls the page made on the way was refused by the policy. The browser's Jolokia
 * answers are read through the DevTools Network domain, so a refusal counts even when Hawtio hides it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.security.user.password=" + HawtioBrowserTest.PASSWORD, "spring.jmx.enabled=true"})
// its MBeans must be gone before another application in this JVM registers the same names
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one browser, logged in once
class HawtioBrowserTest {

    static final String PASSWORD = "hawtio-test-password";
    @RegisterExtension
    static final ScaleBrokerSetup SETUP = new ScaleBrokerSetup("hawtio");
    private static final String HAWTIO = "/actuator/hawtio";
    private static final String CONTEXT_NODE = "org.apache.camel-CamelContexts-mqtts-scale";
    /** Hawtio's 20 MB of JavaScript on a busy machine, and its 5 s polling */
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The route diagram as {step id: the number Hawtio draws on it, exchanges completed and in flight}. */
    private static final String DIAGRAM_COUNTS = "(() => { const counts = {};"
            + " document.querySelectorAll('.react-flow__node').forEach(node => {"
            + "   const id = node.querySelector('.camel-node-id'), number = node.querySelector('.number');"
            + "   if (id && number) counts[id.innerText.trim().replace(/^\\(ID: |\\)$/g, '')] = Number(number.innerText); });"
            + " return counts; })()";
    private static final String CONTENT_TEXT = "(document.querySelector('[id$=content-main]')"
            + " || document.querySelector('#hawtio-main-container')).innerText";

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        SETUP.startAndRegister(registry);
    }

    @LocalServerPort
    int port;
    @Autowired
    CamelContext camel;

    private HeadlessChromium browser;
    private JolokiaAnswers jolokia;

    @BeforeAll
    void logInThroughTheForm() {
        browser = HeadlessChromium.start();
        jolokia = new JolokiaAnswers(browser);
        browser.logIn("http://localhost:" + port + HAWTIO + "/", "admin", PASSWORD, WAIT);
        // Hawtio's page, its plugins found through Jolokia: the Camel entry in the navigation
        browser.await("[...document.querySelectorAll('nav a')].some(a => a.innerText.trim() === 'Camel')",
                JsonNode::asBoolean, WAIT);
    }

    @BeforeEach
    void startCounting() {
        jolokia.awaitAllRead(WAIT); // what the last view asked is the last view's
        jolokia.reset();
    }

    @AfterEach
    void screenshot(TestInfo test) throws IOException {
        Files.write(SETUP.dir.resolve(test.getTestMethod().orElseThrow().getName() + ".png"), browser.screenshot());
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void camelRoutesListsTheScalesRoutesWithTheirStatistics() {
        List<String> routeIds = camel.getRoutes().stream().map(Route::getRouteId).toList();
        assertThat(routeIds).contains("weigh-and-publish", "commands");
        JsonNode completed = show(View.at("/camel").node(CONTEXT_NODE + "-routes", "routes").tab("Routes"),
                tableColumn("Name", "Completed"),
                value -> value.size() == routeIds.size() && value.path("weigh-and-publish").asLong() > 0);
        assertThat(completed.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(routeIds);
        assertNoCallRefused();
    }

    @Test
    void camelEndpointsListsTheLoadCellStarted() {
        JsonNode states = show(View.at("/camel").node(CONTEXT_NODE + "-endpoints", "endpoints"),
                tableColumn("URI", "State"), value -> value.path(hx711Endpoint(value)).asText().equals("Started"));
        assertThat(hx711Endpoint(states)).startsWith("hx711://" + ScaleBrokerSetup.DEVICE_ID);
        assertNoCallRefused();
    }

    @Test
    void theHx711ConsumersCountersAreItsAttributes() {
        JsonNode attributes = show(
                View.at("/camel").node(CONTEXT_NODE + "-MBeans-consumers-", "Hx711Consumer").tab("Attributes"),
                tableColumn("Attribute", "Value"),
                value -> value.path("Reads").asLong() > 0 && value.path("GoodSamples").asLong() > 0);
        assertThat(attributes.fieldNames()).toIterable().contains("RejectedSamples", "DiscardedUnsettled",
                "DiscardedStale", "Timeouts", "LastPollFailure", "ClockHighHistogram", "Chip");
        assertThat(attributes.path("Chip").asText()).as("the scale's chip, from its settings")
                .isEqualTo("DOUT=BCM 5 (pin 29) / PD_SCK=BCM 6 (pin 31), gain 128, median of 5, 80 samples/s");
        for (Hx711RejectReason reason : Hx711RejectReason.values()) {
            assertThat(attributes.path("RejectedSamples").asText()).contains("\"" + reason.key() + "\":");
        }
        assertThat(attributes.path("ClockHighHistogram").asText()).contains("µs");
        assertNoCallRefused();
    }

    @Test
    void theRouteDiagramsCountTheExchangesOfEachStep() {
        show(View.at("/camel").node(CONTEXT_NODE + "-routes-", "weigh-and-publish").tab("Route Diagram"),
                DIAGRAM_COUNTS, value -> value.path("read-load-cell").asLong() > 0
                        && value.path("counts-to-kilograms").asLong() > 0
                        && value.path("worth-publishing").asLong() > 0);
        show(View.at("/camel").node(CONTEXT_NODE + "-routes-", "publish").tab("Route Diagram"),
                DIAGRAM_COUNTS, value -> value.path("send-to-broker").asLong() > 0);
        assertNoCallRefused();
    }

    @Test
    void theScalesOperationsAreListedInTheJmxTree() {
        show(View.at("/jmx").node("io.github.mqttsscale-", "ScaleOperations").tab("Operations"),
                "[...document.querySelectorAll('#hawtio-main-container .pf-v6-c-data-list__item-content b')]"
                        + ".map(b => b.innerText.trim())",
                value -> names(value)
                        .containsAll(Set.of("tare()", "calibrate(Double)", "publish()", "simulateLoad(Double)")));
        assertNoCallRefused();
    }

    @Test
    void aRoutesSourceAndBlockedExchangesAreShown() {
        View route = View.at("/camel").node(CONTEXT_NODE + "-routes-", "weigh-and-publish");
        show(route.tab("Source"), CONTENT_TEXT, value -> value.asText().contains("id=\"weigh-and-publish\""));
        show(route.tab("Exchanges"), CONTENT_TEXT, value -> value.asText().contains("No blocked exchanges found."));
        assertNoCallRefused();
    }

    @Test
    void runtimeThreadsAndSpringBootHealthAreShown() {
        show(View.at("/runtime/threads"),
                "[...document.querySelectorAll('#hawtio-main-container td')].some(td => td.innerText.trim() === 'main')",
                JsonNode::asBoolean);
        show(View.at("/springboot/health"), CONTENT_TEXT, value -> value.asText().contains("Overall status")
                && value.asText().contains("Broker") && value.asText().contains("Sensor"));
        assertNoCallRefused();
    }

    /**
     * Where a person looks in Hawtio: a plugin's address, maybe a node of its tree, maybe one of the node's tabs. Hawtio
     * moves on its own a moment after each step (selecting a node opens its first tab, a plugin left behind may still
     * navigate), so every poll checks each step again and takes the first one that is not (or no longer) done.
     */
    private record View(String path, String node, String tab) {

        static View at(String path) {
            return new View(HAWTIO + path, null, null);
        }

        /** The tree node whose id (Hawtio's path to it) starts with {@code idPrefix} and whose label is {@code label}
         *  (after an MBean's "(0x…)" hash). */
        View node(String idPrefix, String label) {
            return new View(path, "[...document.querySelectorAll('li[role=treeitem]')].filter(li => li.id.startsWith('"
                    + idPrefix + "')).find(li => li.querySelector('.pf-v6-c-tree-view__node-text').innerText.trim()"
                    + ".replace(/\\(0x[0-9a-f]+\\)$/, '') === '" + label + "')", tab);
        }

        View tab(String title) {
            return new View(path, node, title);
        }

        /** JavaScript that takes the next step towards this view (null), or once there evaluates {@code expression}. */
        String reach(String expression) {
            // as Hawtio's own links go: the page stays, so the browser keeps every answer to read
            StringBuilder steps = new StringBuilder("(() => { if (!location.pathname.startsWith('" + path + "')) {"
                    + " history.pushState(null, '', '" + path + "'); dispatchEvent(new PopStateEvent('popstate'));"
                    + " return null; }");
            if (node != null) {
                steps.append(" const node = ").append(node).append(";"
                        + " if (!node) { [...document.querySelectorAll('button')]"
                        + "   .find(b => b.innerText.trim() === 'Expand all')?.click(); return null; }"
                        + " if (node.getAttribute('aria-selected') !== 'true') {"
                        + "   node.querySelector('.pf-v6-c-tree-view__node-text').click(); return null; }");
            }
            if (tab != null) {
                steps.append(" const tab = [...document.querySelectorAll('.pf-m-subnav a')]"
                        + ".find(a => a.innerText.trim() === '").append(tab).append("'); if (!tab) return null;"
                                + " if (tab.getAttribute('aria-current') !== 'page') { tab.click(); return null; }");
            }
            return steps.append(" return ").append(expression).append("; })()").toString();
        }
    }

    /**
     * Goes to {@code view} and waits there until {@code expression} passes {@code test}; returns its value. When the view
     * never shows, says which Jolokia calls were refused meanwhile.
     */
    private JsonNode show(View view, String expression, Predicate<JsonNode> test) {
        try {
            return browser.await(view.reach(expression),
                    value -> !value.isNull() && !value.isMissingNode() && test.test(value), WAIT);
        } catch (AssertionError notShown) {
            throw new AssertionError(notShown.getMessage() + "\nJolokia calls refused meanwhile: " + jolokia.refused(),
                    notShown);
        }
    }

    /** The first table in the view as {key column: value column}. */
    private static String tableColumn(String key, String value) {
        return "(() => { const table = document.querySelector('#hawtio-main-container table'); if (!table) return {};"
                + " const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());"
                + " const k = heads.indexOf('" + key + "'), v = heads.indexOf('" + value + "'); const result = {};"
                + " if (k < 0 || v < 0) return result;"
                + " table.querySelectorAll('tbody tr').forEach(tr => { const cells = [...tr.children];"
                + "   if (cells.length > Math.max(k, v)) result[cells[k].innerText.trim()] = cells[v].innerText.trim(); });"
                + " return result; })()";
    }

    private static String hx711Endpoint(JsonNode uris) {
        for (String uri : (Iterable<String>) uris::fieldNames) {
            if (uri.startsWith("hx711://" + ScaleBrokerSetup.DEVICE_ID)) {
                return uri;
            }
        }
        return "";
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new HashSet<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }

    private void assertNoCallRefused() {
        jolokia.awaitAllRead(WAIT);
        // a view may show what the page already had; that the answers are read at all is seen over the whole visit
        assertThat(jolokia.answeredSinceStart()).as("Jolokia answers read from the browser").isPositive();
        assertThat(jolokia.refused()).as("Jolokia calls of this view that the policy refused").isEmpty();
    }

    /**
     * Every Jolokia answer the page receives, read from the DevTools Network domain: Jolokia answers a bulk request
     * with HTTP 200 and each call's own status, so a refusal (403) is only seen in the body.
     */
    private static final class JolokiaAnswers {

        private static final ObjectMapper JSON = new ObjectMapper();

        private final HeadlessChromium browser;
        /** requests sent and not yet read, by DevTools request id */
        private final Set<String> unread = ConcurrentHashMap.newKeySet();
        private final List<String> refused = new CopyOnWriteArrayList<>();
        private final List<String> otherErrors = new CopyOnWriteArrayList<>();
        private final AtomicInteger answered = new AtomicInteger();
        /** the events arrive on the browser connection's thread, which must not wait for the bodies itself */
        private final ExecutorService reader = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "jolokia-answers");
            thread.setDaemon(true);
            return thread;
        });

        JolokiaAnswers(HeadlessChromium browser) {
            this.browser = browser;
            Map<String, Integer> httpStatus = new ConcurrentHashMap<>();
            browser.onEvent("Network.requestWillBeSent", event -> {
                if (event.path("request").path("url").asText().contains("/jolokia")) {
                    unread.add(event.path("requestId").asText());
                }
            });
            browser.onEvent("Network.responseReceived", event -> {
                if (unread.contains(event.path("requestId").asText())) {
                    httpStatus.put(event.path("requestId").asText(), event.path("response").path("status").asInt());
                }
            });
            browser.onEvent("Network.loadingFailed", event -> unread.remove(event.path("requestId").asText()));
            browser.onEvent("Network.loadingFinished", event -> {
                String id = event.path("requestId").asText();
                if (unread.contains(id)) {
                    reader.execute(() -> read(id, httpStatus.remove(id)));
                }
            });
            browser.call("Network.enable", Map.of());
        }

        private void read(String id, Integer httpStatus) {
            try {
                String body = browser.call("Network.getResponseBody", Map.of("requestId", id)).path("body").asText();
                if (httpStatus == null || httpStatus != 200) {
                    refused.add("HTTP " + httpStatus + ": " + body);
                    return;
                }
                JsonNode answers = JSON.readTree(body);
                for (JsonNode answer : answers.isArray() ? answers : List.of(answers)) {
                    answered.incrementAndGet();
                    int status = answer.path("status").asInt();
                    if (status == 403) {
                        refused.add(answer.path("request") + ": " + answer.path("error").asText());
                    } else if (status != 200) {
                        otherErrors.add(answer.path("request") + ": " + answer.path("error").asText());
                    }
                }
            } catch (IOException | RuntimeException e) {
                refused.add("unreadable answer " + id + ": " + e);
            } finally {
                unread.remove(id);
            }
        }

        void reset() {
            refused.clear();
            otherErrors.clear();
        }

        /** Waits until every request sent so far is read (Hawtio keeps polling: later ones may still be on the way). */
        void awaitAllRead(Duration timeout) {
            Set<String> sent = Set.copyOf(unread);
            await("Jolokia answers read").atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(() -> sent.stream().noneMatch(unread::contains));
            if (!otherErrors.isEmpty()) {
                // e.g. the route diagram's dumpRoutesStatsAsXml while app beans pose as Camel processors (issue 13)
                System.out.println("Jolokia calls that failed, not refused: " + otherErrors);
            }
        }

        int answeredSinceStart() {
            return answered.get();
        }

        List<String> refused() {
            return List.copyOf(refused);
        }
    }
}
