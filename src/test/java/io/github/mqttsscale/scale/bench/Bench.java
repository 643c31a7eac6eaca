package io.github.mqttsscale.scale.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.util.FileSystemUtils;

import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.TestPki;

/**
 * The performance benchmark ({@code ./mvnw -Pbench}, docs/performance.md): starts the packaged application
 * ({@code target/mqtts-scale.jar}) as a process of its own, with the simulated HX711, against an embedded HiveMQ CE
 * broker over TLS in this JVM (password and client certificate required), measures it from outside (/proc, the
 * broker, the actuator) and compares it with {@link BareBaseline}, a bare Paho publisher. Prints one table.
 * <p>
 * System properties: {@code bench.runs} (3), {@code bench.warm-up} (seconds before RSS and the CPU window, 60),
 * {@code bench.window} (seconds of the CPU and latency window, 30), {@code bench.variants} (launches to compare,
 * {@code recommended,plain-pi,pinned}: recommended = packaging/deb/jvm.options (Spring AOT included) + AppCDS,
 * options = the options file alone, plain = {@code java -jar}, plain-pi = {@code java -XX:MaxRAM=1g -jar} (the JVM
 * sizes itself as on a 1 GB Pi), pinned = the recommended launch on one core ({@code taskset -c 0}, a slow Pi's
 * stand-in); {@code bench.flags.<name>} defines another as JVM flags separated by spaces),
 * {@code bench.throughput} (true), {@code bench.steady} (true; false measures the throughput alone).
 */
public final class Bench {

    static final Path JAR = Path.of("target", "mqtts-scale.jar");
    /** The recommended launch's JVM options: the same file the Debian launcher and service use. */
    static final Path JVM_OPTIONS = Path.of("packaging", "deb", "jvm.options");
    static final int HX711_RATE = 80;
    static final double KEEPS_UP = 0.95;
    static final String WEB_PASSWORD = "bench-web-password";
    /** The variant that runs on one core: the broker and this harness keep the other. */
    static final String PINNED = "pinned";

    private final Path dir;
    private final TestPki pki;
    private final EmbeddedBroker broker;
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final HttpClient http = HttpClient.newHttpClient();
    private final int warmUpSeconds = Integer.getInteger("bench.warm-up", 60);
    private final int windowSeconds = Integer.getInteger("bench.window", 30);
    private int processes;

    private Bench(Path dir) {
        this.dir = dir;
        this.pki = TestPki.create(dir.resolve("pki"));
        this.broker = EmbeddedBroker.builder(pki).build();
    }

    public static void main(String[] args) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build it first (./mvnw -B -q install -DskipTests)");
        }
        Path dir = Path.of("target", "bench");
        FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir);
        Bench bench = new Bench(dir);
        bench.broker.start();
        try {
            bench.run();
        } finally {
            bench.broker.close();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        List<String> variants = List.of(System.getProperty("bench.variants", "recommended,plain-pi,pinned").split(","));
        boolean throughput = Boolean.parseBoolean(System.getProperty("bench.throughput", "true"));
        Map<String, List<AppFigures>> app = new LinkedHashMap<>();
        List<BaselineFigures> baseline = new ArrayList<>();
        List<Throughput> sustained = new ArrayList<>();
        say("machine: %d cores, %s; java %s; %d run(s), warm-up %d s, window %d s",
                Runtime.getRuntime().availableProcessors(),
                firstLine(Path.of("/proc/loadavg")), System.getProperty("java.version"), runs, warmUpSeconds,
                windowSeconds);
        boolean steady = Boolean.parseBoolean(System.getProperty("bench.steady", "true"));
        for (int run = 1; run <= runs; run++) {
            for (String variant : steady ? variants : List.<String>of()) {
                AppFigures figures = measureApp(variant, flags(variant));
                say("run %d %s: %s", run, variant, figures);
                app.computeIfAbsent(variant, v -> new ArrayList<>()).add(figures);
            }
            if (steady) {
                BaselineFigures bare = measureBaseline();
                say("run %d baseline: %s", run, bare);
                baseline.add(bare);
            }
            if (throughput) {
                Throughput most = throughput(flags(variants.get(0)));
                say("run %d highest sustained: %d readings/s, most published: %.0f/s", run, most.sustained(),
                        most.most());
                sustained.add(most);
            }
        }
        System.out.println();
        if (!steady) {
            say("highest sustained: %s readings/s; most published: %s readings/s",
                    Table.spread(sustained.stream().mapToDouble(Throughput::sustained).toArray(), "%.0f"),
                    Table.spread(sustained.stream().mapToDouble(Throughput::most).toArray(), "%.0f"));
            return;
        }
        System.out
                .println(Table.render(variants, app, baseline, sustained, Runtime.getRuntime().availableProcessors()));
    }

    private List<String> flags(String variant) throws Exception {
        return switch (variant) {
            case "recommended", PINNED -> appCds();
            case "options" -> List.of("@" + JVM_OPTIONS);
            case "plain" -> List.of();
            case "plain-pi" -> List.of("-XX:MaxRAM=1g");
            default -> {
                String flags = System.getProperty("bench.flags." + variant);
                if (flags == null) {
                    throw new IllegalArgumentException(
                            "unknown variant " + variant + ": define -Dbench.flags." + variant);
                }
                yield List.of(flags.trim().split("\\s+"));
            }
        };
    }

    private List<String> cdsLaunch;

    /**
     * The recommended launch: the JVM options file plus an application class-data archive (AppCDS, Java 17's dynamic archive) of the jar
     * extracted the way Spring Boot wants it for CDS ({@code java -Djarmode=tools -jar mqtts-scale.jar extract}),
     * made by a training run that starts the scale, publishes, and stops (the archive is written at exit).
     */
    private List<String> appCds() throws Exception {
        if (cdsLaunch == null) {
            Path cds = dir.resolve("cds").toAbsolutePath();
            run(List.of(java, "-Djarmode=tools", "-jar", JAR.toString(), "extract", "--destination", cds.toString()));
            Path jar = cds.resolve(JAR.getFileName());
            Path archive = cds.resolve("mqtts-scale.jsa");
            List<String> training = List.of("@" + JVM_OPTIONS, "-XX:ArchiveClassesAtExit=" + archive, "-jar",
                    jar.toString());
            Map<String, String> settings = settings();
            settings.put("scale.sample-interval", "5ms");
            try (RunningApp scale = start("cds-training", training, settings, null)) {
                Thread.sleep(5_000);
                scale.prometheus(); // the web and metrics classes too
            }
            if (!Files.exists(archive)) {
                throw new IllegalStateException("the training run wrote no " + archive);
            }
            cdsLaunch = List.of("@" + JVM_OPTIONS, "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString());
        }
        return cdsLaunch;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /** Start-up, memory, CPU and latency of the application at the HX711's 80 readings/s. */
    private AppFigures measureApp(String variant, List<String> jvmFlags) throws Exception {
        Map<String, String> settings = settings();
        settings.put("scale.sample-interval", "5ms"); // shorter than a conversion: the chip paces, 80 readings/s
        try (RunningApp scale = start(variant, jvmFlags, settings, null)) {
            long deadline = scale.startedNanos + Duration.ofSeconds(warmUpSeconds).toNanos();
            sleepUntil(deadline);
            double rssMb = scale.rssKb() / 1024.0;
            double pssMb = scale.pssKb() / 1024.0;
            double heapMb = scale.heapUsedBytes() / 1024.0 / 1024.0;
            // scrape first: each authenticated request checks the password (bcrypt, tens of ms of CPU)
            Map<String, Double> before = scale.prometheus();
            long cpu0 = scale.cpuNanos();
            Map<String, Long> threads0 = scale.threadCpuNanos();
            long sim0 = threads0.getOrDefault("hx711-simulator", 0L);
            long t0 = System.nanoTime();
            Thread.sleep(windowSeconds * 1000L);
            long cpu1 = scale.cpuNanos();
            Map<String, Long> threads1 = scale.threadCpuNanos();
            long sim1 = threads1.getOrDefault("hx711-simulator", 0L);
            say("  CPU by thread in the window (ms): %s", threads1.entrySet().stream()
                    .map(t -> Map.entry(t.getKey(), (t.getValue() - threads0.getOrDefault(t.getKey(), 0L)) / 1_000_000))
                    .filter(t -> t.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(10)
                    .map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(", ")));
            Map<String, Double> after = scale.prometheus();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double readings = after.get("scale_published_total") - before.get("scale_published_total");
            Map<Double, Double> buckets = bucketDeltas(before, after, "scale_reading_latency_seconds_bucket");
            return new AppFigures(scale.startupSeconds, rssMb, pssMb, heapMb, readings / seconds,
                    (cpu1 - cpu0) / 1e6 * 1000 / readings, (sim1 - sim0) / 1e6 * 1000 / readings,
                    quantileFromBuckets(buckets, 0.5) * 1000, quantileFromBuckets(buckets, 0.99) * 1000);
        }
    }

    /**
     * The highest rate the route keeps up with (publishes at least 95 % of the readings offered), TLS and QoS 1, and
     * the most it published at any offered rate:
     * the simulator converts at the offered rate (a benchmark-only setting, far beyond the HX711's 80/s) and the
     * route polls again as soon as a reading is through (Camel's {@code greedy}, the only change to the route), so
     * the simulated chip paces the route as long as the route keeps up.
     */
    private Throughput throughput(List<String> jvmFlags) throws Exception {
        int[] ladder = {200, 400, 800, 1200, 1600, 2400, 3200};
        int highest = 0;
        double most = 0;
        int behind = 0;
        for (int offered : ladder) {
            double published = publishedRate(jvmFlags, offered);
            say("  offered %d/s, published %.0f/s (%.0f %%)", offered, published, 100 * published / offered);
            most = Math.max(most, published);
            if (published >= KEEPS_UP * offered) {
                highest = offered;
                behind = 0;
            } else if (++behind == 2) {
                break; // behind at two rates in a row: saturated
            }
        }
        return new Throughput(highest, most);
    }

    /** The highest offered rate the route kept up with, and the most readings per second it published at any. */
    record Throughput(int sustained, double most) {
    }

    private double publishedRate(List<String> jvmFlags, int offered) throws Exception {
        Map<String, String> settings = settings();
        settings.put("scale.sample-interval", "1ms");
        settings.put("scale.simulator.benchmark-conversions-per-second", String.valueOf(offered));
        try (RunningApp scale = start("throughput-" + offered, jvmFlags, settings, Bench::greedy)) {
            Thread.sleep(5_000);
            Map<String, Double> before = scale.prometheus();
            long t0 = System.nanoTime();
            Thread.sleep(10_000);
            Map<String, Double> after = scale.prometheus();
            return (after.get("scale_published_total") - before.get("scale_published_total"))
                    / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** The shipped route, its consumer polling again at once after a reading instead of waiting the sample interval. */
    static String greedy(String route) {
        String withGreedy = route.replaceFirst("(?m)^( +)delay: \"\\{\\{scale\\.sample-interval}}\"\n",
                "$0$1greedy: true\n");
        if (withGreedy.equals(route)) {
            throw new IllegalStateException(
                    "routes/scale.camel.yaml changed: cannot find the consumer's delay to add greedy");
        }
        return withGreedy;
    }

    private BaselineFigures measureBaseline() throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.add("@" + JVM_OPTIONS); // the same heap, GC and compiler as the application
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareBaseline.class.getName(),
                broker.url(), broker.username(), broker.password(), pki.caCertPem().toString(),
                pki.clientCertPem().toString(), pki.clientKeyPkcs8Pem().toString(), "bench/baseline/weight",
                String.valueOf(HX711_RATE), "10", String.valueOf(windowSeconds)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            long cpu0 = 0;
            for (String line; (line = out.readLine()) != null;) {
                if (line.equals("WINDOW START")) {
                    cpu0 = cpuNanos(process.pid());
                } else if (line.startsWith("WINDOW END")) {
                    long cpu1 = cpuNanos(process.pid());
                    String[] parts = line.split(" ");
                    long published = Long.parseLong(parts[2]);
                    return new BaselineFigures((cpu1 - cpu0) / 1e6 * 1000 / published,
                            Long.parseLong(parts[3]) / 1e6, Long.parseLong(parts[4]) / 1e6);
                } else {
                    say("  baseline: %s", line);
                }
            }
            throw new IllegalStateException("the baseline ended without a result");
        } finally {
            process.waitFor();
        }
    }

    /** The settings every measured application gets: simulated HX711, one sample per reading, publish every reading. */
    private Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("scale.sensor", "simulated");
        settings.put("scale.hx711.rate", String.valueOf(HX711_RATE));
        settings.put("scale.hx711.samples", "1");
        settings.put("scale.publish.min-change-kg", "0");
        settings.put("scale.mqtt.url", broker.url());
        settings.put("scale.mqtt.username", broker.username());
        settings.put("scale.mqtt.password", broker.password());
        settings.put("scale.mqtt.ca", pki.caCertPem().toString());
        settings.put("scale.mqtt.client-cert", pki.clientCertPem().toString());
        settings.put("scale.mqtt.client-key", pki.clientKeyPkcs8Pem().toString());
        settings.put("spring.security.user.password", WEB_PASSWORD);
        // fine buckets for scale.reading.latency, so that percentiles can be taken over exactly the window
        settings.put("management.metrics.distribution.slo.scale.reading.latency", latencyBuckets());
        return settings;
    }

    /** 50 µs to about 1 s, 12 % apart. */
    static String latencyBuckets() {
        List<String> bounds = new ArrayList<>();
        for (double us = 50; us < 1_000_000; us *= 1.12) {
            bounds.add(Math.round(us) + "us");
        }
        return String.join(",", bounds);
    }

    private RunningApp start(String name, List<String> jvmFlags, Map<String, String> settings,
            Function<String, String> routeEdit) throws Exception {
        Path home = dir.resolve(String.format("%02d-%s", ++processes, name));
        Path routes = Files.createDirectories(home.resolve("routes"));
        if (routeEdit != null) {
            Files.writeString(routes.resolve("scale.camel.yaml"),
                    routeEdit.apply(Files.readString(Path.of("routes", "scale.camel.yaml"))));
            Files.copy(Path.of("routes", "commands.camel.yaml"), routes.resolve("commands.camel.yaml"));
        }
        String deviceId = "bench-" + processes;
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(
                name.equals(PINNED) ? List.of("taskset", "-c", "0", java) : List.of(java));
        command.addAll(jvmFlags);
        if (!jvmFlags.contains("-jar")) {
            command.addAll(List.of("-jar", JAR.toString()));
        }
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("scale.device-id", deviceId);
        all.put("scale.data-dir", home.resolve("data").toString());
        all.put("scale.routes-dir", routes.toString());
        all.put("server.port", String.valueOf(port));
        all.forEach((key, value) -> command.add("--" + key + "=" + value));
        try (MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(broker, pki,
                "scale/" + deviceId + "/weight")) {
            subscriber.awaitReady(Duration.ofSeconds(10));
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(home.resolve("scale.log").toFile()).start();
            try {
                subscriber.awaitOne(Duration.ofSeconds(120));
            } catch (AssertionError | RuntimeException e) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "no reading from " + name + " within 120 s; see " + home.resolve("scale.log"), e);
            }
            double startup = (System.nanoTime() - started) / 1e9;
            return new RunningApp(process, started, startup, port);
        }
    }

    /** The application process being measured. */
    private final class RunningApp implements AutoCloseable {

        final Process process;
        final long startedNanos;
        final double startupSeconds;
        final int port;

        RunningApp(Process process, long startedNanos, double startupSeconds, int port) {
            this.process = process;
            this.startedNanos = startedNanos;
            this.startupSeconds = startupSeconds;
            this.port = port;
        }

        long rssKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new IllegalStateException("no VmRSS");
        }

        /** Proportional set size: the pages shared with other processes (the JDK's files) counted in part. */
        long pssKb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new IllegalStateException("no Pss");
        }

        long cpuNanos() throws IOException {
            return Bench.cpuNanos(process.pid());
        }

        Map<String, Long> threadCpuNanos() throws IOException {
            return Bench.threadCpuNanos(process.pid());
        }

        /** jvm_memory_used_bytes summed over the heap's pools (the metrics endpoint is not exposed, Prometheus is). */
        double heapUsedBytes() throws Exception {
            double used = 0;
            for (String line : get("/actuator/prometheus").split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return used;
        }

        Map<String, Double> prometheus() throws Exception {
            return parsePrometheus(get("/actuator/prometheus"));
        }

        private String get(String path) throws Exception {
            String auth = Base64.getEncoder()
                    .encodeToString(("admin:" + WEB_PASSWORD).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = http
                    .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .header("Authorization", "Basic " + auth).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + ": HTTP " + response.statusCode());
            }
            return response.body();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * CPU time of a process: the sum of its threads' run time in /proc/&lt;pid&gt;/task/*&#47;schedstat (nanoseconds, exact).
     * Not utime + stime of /proc/&lt;pid&gt;/stat: the kernel samples those at each timer tick and charges the whole tick
     * to whatever thread it finds running, which for threads that wake 80 times a second is far off in either
     * direction (on this machine the MQTT threads showed 0 ticks after 1.7 s of run time).
     */
    static long cpuNanos(long pid) throws IOException {
        return threadCpuNanos(pid).values().stream().mapToLong(Long::longValue).sum();
    }

    /** CPU time (ns) by thread name (the kernel keeps 15 characters of it), threads of the same name added up. */
    static Map<String, Long> threadCpuNanos(long pid) throws IOException {
        Map<String, Long> nanos = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    nanos.merge(firstLine(task.resolve("comm")),
                            Long.parseLong(firstLine(task.resolve("schedstat")).split(" ")[0]), Long::sum);
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        }
        return nanos;
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    /**
     * Samples by name, added up over their other labels (scale_published_total{source=live|outbox}); histogram buckets
     * as {@code <name>|<le>}.
     */
    static Map<String, Double> parsePrometheus(String text) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            String key = sample.group(1);
            if (sample.group(2) != null) {
                Matcher le = LE.matcher(sample.group(2));
                if (le.find()) {
                    key += "|" + le.group(1);
                }
            }
            samples.merge(key, Double.parseDouble(sample.group(3)), Double::sum);
        }
        return samples;
    }

    /** Cumulative count per upper bound (seconds; +Inf as infinity), the difference between two scrapes. */
    static Map<Double, Double> bucketDeltas(Map<String, Double> before, Map<String, Double> after, String name) {
        Map<Double, Double> deltas = new TreeMap<>();
        after.forEach((key, value) -> {
            if (key.startsWith(name + "|")) {
                String le = key.substring(name.length() + 1);
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                deltas.put(bound, value - before.getOrDefault(key, 0.0));
            }
        });
        if (deltas.isEmpty()) {
            throw new IllegalStateException("no " + name + " in /actuator/prometheus");
        }
        return deltas;
    }

    /** The q-quantile of cumulative buckets, interpolated linearly inside the bucket it falls in. */
    static double quantileFromBuckets(Map<Double, Double> cumulative, double q) {
        double total = cumulative.get(Double.POSITIVE_INFINITY);
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                return lowerBound + fraction * (bucket.getKey() - lowerBound);
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long remaining = nanoTime - System.nanoTime();
        if (remaining > 0) {
            Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
        }
    }

    private static String firstLine(Path file) throws IOException {
        try {
            return Files.readAllLines(file).get(0).trim();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static void say(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }

    /** What one run of the application gave. */
    record AppFigures(double startupSeconds, double rssMb, double pssMb, double heapMb, double readingsPerSecond,
            double cpuMsPer1000, double simulatorCpuMsPer1000, double p50Ms, double p99Ms) {

        @Override
        public String toString() {
            return String.format(
                    "start-up %.2f s, RSS %.0f MB, PSS %.0f MB, heap %.0f MB, %.1f readings/s, CPU %.0f ms/1000 "
                            + "(simulator thread %.0f), latency p50 %.2f ms p99 %.2f ms",
                    startupSeconds, rssMb, pssMb, heapMb, readingsPerSecond, cpuMsPer1000, simulatorCpuMsPer1000, p50Ms,
                    p99Ms);
        }
    }

    /** What one run of the bare Paho baseline gave. */
    record BaselineFigures(double cpuMsPer1000, double p50Ms, double p99Ms) {

        @Override
        public String toString() {
            return String.format("CPU %.0f ms/1000, latency p50 %.2f ms p99 %.2f ms", cpuMsPer1000, p50Ms, p99Ms);
        }
    }

    /** Medians with their spread over the runs, and the table. */
    static final class Table {

        private Table() {
        }

        static String render(List<String> variants, Map<String, List<AppFigures>> app, List<BaselineFigures> baseline,
                List<Throughput> sustained, int cores) {
            String main = variants.get(0);
            List<AppFigures> ours = app.get(main);
            StringBuilder table = new StringBuilder();
            table.append("| figure (median of ").append(ours.size()).append(" runs, min–max) | target | ")
                    .append(variants.stream().map(v -> v + " launch").collect(Collectors.joining(" | ")))
                    .append(" | bare Paho baseline | ").append(main).append(" / baseline | target met? |\n");
            table.append("|---".repeat(variants.size() + 5)).append("|\n");
            row(table, variants, app, "start-up to first reading at the broker (s)", "< 3", AppFigures::startupSeconds,
                    null, null, 3.0, "%.2f");
            row(table, variants, app, "RSS after " + "warm-up (MB)", "< 128", AppFigures::rssMb, null, null, 128.0,
                    "%.0f");
            row(table, variants, app, "PSS after warm-up (MB)", "", AppFigures::pssMb, null, null, null, "%.0f");
            row(table, variants, app, "heap used after warm-up (MB)", "", AppFigures::heapMb, null, null, null, "%.0f");
            row(table, variants, app, "readings published per second", "80", AppFigures::readingsPerSecond, null, null,
                    null, "%.1f");
            row(table, variants, app, "CPU per 1000 readings at 80/s (ms)", "< 150", AppFigures::cpuMsPer1000, baseline,
                    BaselineFigures::cpuMsPer1000, 150.0, "%.0f");
            row(table, variants, app, "… of which the simulator thread (ms)", "", AppFigures::simulatorCpuMsPer1000,
                    null,
                    null, null, "%.0f");
            row(table, variants, app, "latency data-ready → PUBACK p50 (ms)", "", AppFigures::p50Ms, baseline,
                    BaselineFigures::p50Ms, null, "%.2f");
            row(table, variants, app, "latency data-ready → PUBACK p99 (ms)", "< 10", AppFigures::p99Ms, baseline,
                    BaselineFigures::p99Ms, 10.0, "%.2f");
            if (!sustained.isEmpty()) {
                double[] rates = sustained.stream().mapToDouble(Throughput::sustained).toArray();
                table.append("| highest sustained readings/s (TLS, QoS 1; ≥ 95 % of offered) | ≥ ")
                        .append(20 * HX711_RATE).append(" | ").append(spread(rates, "%.0f"))
                        .append(" |".repeat(variants.size() - 1)).append(" | | | ")
                        .append(verdict(median(rates), 20.0 * HX711_RATE, false, "%.0f")).append(" |\n");
                double[] most = sustained.stream().mapToDouble(Throughput::most).toArray();
                table.append("| most readings/s published at any offered rate | | ").append(spread(most, "%.0f"))
                        .append(" |".repeat(variants.size() - 1)).append(" | | | |\n");
            }
            double[] ratios = new double[Math.min(ours.size(), baseline.size())];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = ours.get(i).cpuMsPer1000() / baseline.get(i).cpuMsPer1000();
            }
            table.append("\nCPU per reading, ").append(main).append(" / bare baseline: ").append(spread(ratios, "%.2f"))
                    .append(" (target ≤ 2: ").append(median(ratios) <= 2
                            ? "met"
                            : String.format("missed by %.0f %%",
                                    100 * (median(ratios) / 2 - 1)))
                    .append("). Machine: ").append(cores).append(" cores.\n");
            return table.toString();
        }

        private static void row(StringBuilder table, List<String> variants, Map<String, List<AppFigures>> app,
                String name,
                String target, Function<AppFigures, Double> figure, List<BaselineFigures> baseline,
                Function<BaselineFigures, Double> baselineFigure, Double limit, String format) {
            table.append("| ").append(name).append(" | ").append(target);
            for (String variant : variants) {
                table.append(" | ")
                        .append(spread(app.get(variant).stream().mapToDouble(figure::apply).toArray(), format));
            }
            double[] ours = app.get(variants.get(0)).stream().mapToDouble(figure::apply).toArray();
            if (baseline != null) {
                double[] bare = baseline.stream().mapToDouble(baselineFigure::apply).toArray();
                double[] ratios = new double[Math.min(ours.length, bare.length)];
                for (int i = 0; i < ratios.length; i++) {
                    ratios[i] = ours[i] / bare[i];
                }
                table.append(" | ").append(spread(bare, format)).append(" | ").append(spread(ratios, "%.2f"));
            } else {
                table.append(" | | ");
            }
            table.append(" | ").append(limit == null ? "" : verdict(median(ours), limit, true, format)).append(" |\n");
        }

        static String verdict(double value, double limit, boolean below, String format) {
            boolean met = below ? value < limit : value >= limit;
            if (met) {
                return "met";
            }
            double by = Math.abs(value - limit);
            return "missed by " + String.format(format, by) + String.format(" (%.0f %%)", 100 * by / limit);
        }

        static String spread(double[] values, String format) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return "–";
            }
            String median = String.format(format, median(sorted));
            return sorted.length == 1
                    ? median
                    : median + " (" + String.format(format, sorted[0]) + "–"
                            + String.format(format, sorted[sorted.length - 1]) + ")";
        }

        static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }
}
