package io.github.mqttsscale.scale.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.mqttsscale.hx711.Hx711Simulator;
import io.github.mqttsscale.scale.ScaleApplication;
import io.github.mqttsscale.scale.testsupport.EmbeddedBroker;
import io.github.mqttsscale.scale.testsupport.MqttTestSubscriber;
import io.github.mqttsscale.scale.testsupport.TestPki;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * The scale on any machine, with nothing to set up: a simulated HX711, an embedded HiveMQ CE broker on
 * localhost over TLS (certificates made at start, trusted by the scale, client certificate and password
 * required), and a subscriber that prints what the broker receives. Lives with the tests so the
 * embedded broker never ships in the application jar. Run with {@code ./mvnw -Pdemo}.
 */
public final class Demo {

    private static final double[] LOADS_KG = {2.5, 2.5, 0.0, 1.25, 6.5, 6.5, 0.0};
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final double AMPLITUDE_C = 6;
    private static final double DRIFT_KG_PER_C = 0.004;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Files.createDirectories(Path.of("target", "demo"));
        TestPki pki = TestPki.create(Files.createTempDirectory(home, "pki-"));
        EmbeddedBroker broker = EmbeddedBroker.builder(pki).port(8883).build().start();
        String webPassword = randomPassword();

        ConfigurableApplicationContext scale = new SpringApplicationBuilder(ScaleApplication.class).run(
                "--scale.device-id=demo-scale",
                "--scale.sensor=simulated",
                "--scale.simulator.noise-counts=3",
                "--scale.publish.heartbeat=10s",
                // a load cell whose zero moves 4 g per °C, in air 20 ± 6 °C over two minutes, and the scale
                // compensating it from a thermometer beside the cell (what learn-temperature would find)
                "--scale.simulator.temperature.amplitude-c=" + AMPLITUDE_C,
                "--scale.simulator.temperature.period=120s",
                "--scale.simulator.cell-lag=5s",
                "--scale.simulator.zero-drift-kg-per-c=" + DRIFT_KG_PER_C,
                "--scale.temperature.source=simulated",
                "--scale.temperature.read-interval=1s",
                "--scale.temperature.zero-drift-kg-per-c=" + DRIFT_KG_PER_C,
                "--scale.temperature.lag=5s",
                "--scale.data-dir=" + home.resolve("data").toAbsolutePath(),
                "--scale.mqtt.url=" + broker.url(),
                "--scale.mqtt.username=" + broker.username(),
                "--scale.mqtt.password=" + broker.password(),
                "--scale.mqtt.ca=" + pki.caCertPem(),
                "--scale.mqtt.client-cert=" + pki.clientCertPem(),
                "--scale.mqtt.client-key=" + pki.clientKeyPkcs8Pem(),
                "--spring.security.user.password=" + webPassword);
        String port = scale.getEnvironment().getProperty("local.server.port", "8080");

        MqttTestSubscriber subscriber = MqttTestSubscriber.subscribe(broker, pki, "scale/#");
        System.out.printf(
                "%n  mqtts-scale demo: simulated HX711 -> route routes/scale.camel.yaml -> TLS -> HiveMQ CE on %s%n"
                        + "  Hawtio:   http://localhost:%s/actuator/hawtio  (user admin, password %s)%n"
                        + "  The load on the simulated scale changes every 8 s; the air's temperature cycles over 2 minutes"
                        + " and the weights stay true, compensated (temperatureC in each). Stop with Ctrl+C.%n%n",
                broker.url(), port, webPassword);

        Hx711Simulator simulator = scale.getBean(Scales.class).all().get(0).simulator().orElseThrow();
        ScheduledExecutorService loads = Executors.newSingleThreadScheduledExecutor();
        int[] step = {0};
        loads.scheduleAtFixedRate(() -> {
            double kg = LOADS_KG[step[0]++ % LOADS_KG.length];
            simulator.setLoadKg(kg);
            System.out.printf(
                    "%s  [simulator]  %.3f kg on the scale; air %.1f °C, cell %.1f °C: uncompensated it would "
                            + "read %+.0f g off%n",
                    LocalTime.now().format(CLOCK), kg, simulator.getAmbientTemperatureC(),
                    simulator.getCellTemperatureC(), DRIFT_KG_PER_C * (simulator.getCellTemperatureC() - 20) * 1000);
        }, 0, 8, TimeUnit.SECONDS);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            loads.shutdownNow();
            subscriber.close();
            scale.close();
            broker.close();
        }));
        while (true) {
            MqttTestSubscriber.Received message = subscriber.take();
            System.out.printf("%s  [subscriber] %s%s %s%n", LocalTime.now().format(CLOCK), message.topic(),
                    message.retained() ? " (retained)" : "", message.payloadText());
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
