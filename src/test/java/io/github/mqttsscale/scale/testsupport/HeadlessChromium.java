package io.github.mqttsscale.scale.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.util.FileSystemUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with Java's own WebSocket client: the page
 * runs its real JavaScript, as for a person. Fails with how to install it when there is no {@code chromium}.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<JsonNode>>> listeners = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket page) {
        this.process = process;
        this.profile = profile;
        this.page = page;
    }

    public static HeadlessChromium start() {
        String binary = findChromium();
        try {
            Path profile = Files.createTempDirectory("chromium-profile-");
            Process process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                    "--remote-allow-origins=*", "--user-data-dir=" + profile, "about:blank")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            URI browser = devToolsUri(process);
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
            JsonNode targets = JSON
                    .readTree(http.send(HttpRequest.newBuilder(list).build(), BodyHandlers.ofString()).body());
            String pageUrl = null;
            for (JsonNode target : targets) {
                if ("page".equals(target.path("type").asText())) {
                    pageUrl = target.get("webSocketDebuggerUrl").asText();
                }
            }
            if (pageUrl == null) {
                process.destroyForcibly();
                throw new IllegalStateException("Chromium opened no page: " + targets);
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    message.append(data);
                    if (last) {
                        self[0].received(message.toString());
                        message.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, profile, socket);
            return self[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start headless Chromium: " + e, e);
        }
    }

    private static String findChromium() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/bin", "/usr/local/bin"))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).map(Path::toString).findFirst()
                .orElseThrow(() -> new AssertionError("This test drives a real browser and needs Chromium: install it "
                        + "with 'sudo apt-get install -y chromium' (Debian/Ubuntu), then run the test again."));
    }

    private static URI devToolsUri(Process process) throws IOException {
        BufferedReader stderr = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = stderr.readLine()) != null) {
            Matcher matcher = DEVTOOLS.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> stderr.lines().forEach(ignored -> {
                }), "chromium-stderr");
                drain.setDaemon(true);
                drain.start();
                return URI.create(matcher.group(1));
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("Chromium exited without opening DevTools:\n" + seen);
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                if (answer != null) {
                    answer.complete(message);
                }
            } else if (message.has("method")) {
                listeners.getOrDefault(message.get("method").asText(), List.of())
                        .forEach(listener -> listener.accept(message.path("params")));
            }
        } catch (IOException e) {
            // not for us
        }
    }

    /**
     * Hands the parameters of every DevTools event named {@code method} (e.g. {@code Network.loadingFinished}, once
     * its domain is enabled) to {@code listener}, on the thread that receives the browser's messages: a listener that
     * needs to {@link #call} the browser must do so from another thread, or it waits for its own answer forever.
     */
    public void onEvent(String method, Consumer<JsonNode> listener) {
        listeners.computeIfAbsent(method, name -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Sends a DevTools command and waits for its result; callable from several threads. */
    public JsonNode call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            String command = JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params));
            synchronized (page) { // a WebSocket takes the next message only once the last one is sent
                page.sendText(command, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            JsonNode reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.get("result");
        } catch (Exception e) {
            throw new IllegalStateException(method + ": " + e, e);
        }
    }

    public void navigate(String url) {
        call("Page.navigate", Map.of("url", url));
    }

    /** Runs JavaScript in the page and returns its value (promises are awaited). */
    public JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Fills the login form of the page shown now ({@code username}, {@code password}) and sends it. */
    /** Opens {@code pageUrl}, which sends the browser to the scale's login page, and logs in there. */
    public void logIn(String pageUrl, String user, String password, Duration timeout) {
        navigate(pageUrl);
        await("document.location.pathname", value -> "/login".equals(value.asText()), timeout);
        await("!!document.querySelector('input[name=username]')", JsonNode::asBoolean, timeout);
        submitLogin(user, password);
    }

    public void submitLogin(String user, String password) {
        try {
            evaluate("document.querySelector('input[name=username]').value = " + JSON.writeValueAsString(user) + ";"
                    + "document.querySelector('input[name=password]').value = " + JSON.writeValueAsString(password)
                    + ";"
                    + "document.querySelector('form').submit(); true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Evaluates {@code expression} until its value passes {@code test}; returns that value. */
    public JsonNode await(String expression, Predicate<JsonNode> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = evaluate(expression);
                if (test.test(last)) {
                    return last;
                }
            } catch (IllegalStateException navigating) {
                last = null; // the page was being replaced
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("'" + expression + "' was " + last + " for " + timeout + "; page text: "
                + evaluate("document.body ? document.body.innerText : ''"));
    }

    /** A PNG of the page as it looks now. */
    public byte[] screenshot() {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
    }

    @Override
    public void close() {
        try {
            page.abort();
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            FileSystemUtils.deleteRecursively(profile.toFile());
        }
    }

}
