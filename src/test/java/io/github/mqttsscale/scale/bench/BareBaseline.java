package io.github.mqttsscale.scale.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import io.github.mqttsscale.scale.mqtt.BrokerTls;
import io.github.mqttsscale.scale.mqtt.TlsFiles;

/**
 * The benchmark's baseline: what publishing the scale's JSON costs with nothing but Paho, no Camel, no Spring. Run by
 * {@link Bench} as a JVM of its own with the application's JVM options; same client (Paho MQTT 5 {@link MqttClient},
 * blocking), same TLS ({@link BrokerTls#socketFactory}: CA, client certificate, host name verified), same connection
 * options as {@code BrokerConnection}, QoS 1, at a fixed rate. Each publish is timed from just before the payload is
 * built to the return of {@code publish}, i.e. the broker's PUBACK.
 * <p>
 * Args: url user password ca client-cert client-key topic readings-per-second warm-up-seconds window-seconds. Prints
 * {@code WINDOW START} when the measured window begins and {@code WINDOW END <published> <p50 ns> <p99 ns>} when it
 * ends, so that the caller can read the process's CPU time at both.
 */
public final class BareBaseline {

    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private BareBaseline() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String topic = args[6];
        int rate = Integer.parseInt(args[7]);
        long warmUpNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[8]));
        long windowNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[9]));

        MqttClient client = new MqttClient(url, "bare-baseline", new MemoryPersistence());
        client.setTimeToWait(10_000);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setServerURIs(new String[]{url});
        options.setSocketFactory(
                BrokerTls.socketFactory(new TlsFiles(Path.of(args[3]), Path.of(args[4]), Path.of(args[5]))));
        options.setHttpsHostnameVerificationEnabled(true);
        options.setAutomaticReconnect(false);
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        options.setUserName(args[1]);
        options.setPassword(args[2].getBytes(StandardCharsets.UTF_8));
        client.connect(options);

        long[] latencies = new long[(int) (rate * (windowNanos / 1_000_000_000L) * 2 + 100)];
        int[] measured = {0};
        long[] seq = {0};
        long start = System.nanoTime();
        long[] windowStart = {0};
        Object done = new Object();
        boolean[] finished = {false};
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> {
            long began = System.nanoTime();
            String payload = "{\"deviceId\":\"bare-baseline\",\"weight\":" + "2.500"
                    + ",\"unit\":\"kg\",\"timestamp\":\""
                    + UTC_MILLIS.format(Instant.now()) + "\",\"seq\":" + (++seq[0]) + ",\"raw\":" + 107303 + "}";
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            try {
                client.publish(topic, message);
            } catch (Exception e) {
                System.out.println("publish failed: " + e);
                return;
            }
            long latency = System.nanoTime() - began;
            if (windowStart[0] == 0 && began - start >= warmUpNanos) {
                windowStart[0] = began;
                System.out.println("WINDOW START");
            } else if (windowStart[0] != 0 && !finished[0]) {
                if (began - windowStart[0] >= windowNanos) {
                    long[] window = Arrays.copyOf(latencies, measured[0]);
                    Arrays.sort(window);
                    System.out.printf("WINDOW END %d %d %d%n", measured[0], Bench.percentile(window, 0.5),
                            Bench.percentile(window, 0.99));
                    synchronized (done) {
                        finished[0] = true;
                        done.notifyAll();
                    }
                } else if (measured[0] < latencies.length) {
                    latencies[measured[0]++] = latency;
                }
            }
        }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        synchronized (done) {
            while (!finished[0]) {
                done.wait();
            }
        }
        timer.shutdownNow();
        client.disconnect();
        client.close();
    }
}
