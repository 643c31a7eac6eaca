package io.github.mqttsscale.hx711;

import static org.apache.camel.builder.Builder.body;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hx711ComponentTest {

    private static final String FAST = "rate=80&samples=3&initialDelay=0&delay=20&readyTimeout=200";
    /** Generous: a busy machine may take long, and a test that passes never waits for it. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long WAIT_MILLIS = WAIT.toMillis();

    private final Hx711Simulator simulator = new Hx711Simulator();
    private CamelContext context;

    @BeforeEach
    void startContext() {
        simulator.setRate(80);
        SimulatedScaleLoads.twoKgRoundNumbers(simulator);
        context = new DefaultCamelContext();
        context.getRegistry().bind("scaleSimulator", simulator);
    }

    @AfterEach
    void stopContext() {
        context.stop();
        simulator.close();
    }

    @Test
    void aRouteDeliversReadingsWithHeadersAndFollowsTheLoad() throws Exception {
        MockEndpoint out = route("hx711:scale?" + FAST);
        out.expectedMinimumMessageCount(2);
        out.message(0).body().isInstanceOf(Integer.class);
        out.message(0).body().isEqualTo(120000);
        out.message(0).header(Hx711Constants.TIMESTAMP).isInstanceOf(Instant.class);
        out.message(0).header(Hx711Constants.DATA_READY).isInstanceOf(Long.class);
        out.message(0).header(Hx711Constants.GAIN).isEqualTo(128);
        out.message(0).header(Hx711Constants.CHANNEL).isEqualTo("A");
        out.message(0).header(Hx711Constants.SAMPLES_USED).isEqualTo(3);
        out.message(0).header(Hx711Constants.SAMPLES_REJECTED).isInstanceOf(Integer.class);
        context.start();

        out.assertIsSatisfied(WAIT_MILLIS);

        NotifyBuilder heavier = new NotifyBuilder(context).whenAnyDoneMatches(body().isEqualTo(130000)).create();
        simulator.setLoadKg(3);
        assertTrue(heavier.matches(WAIT_MILLIS, TimeUnit.MILLISECONDS), "a reading of the new load");
    }

    @Test
    void aRouteReadsTheChipClockedBySpi() throws Exception {
        MockEndpoint out = route("hx711:scale?wiring=spi&" + FAST);
        out.expectedMinimumMessageCount(2);
        out.message(0).body().isEqualTo(120000);
        context.start();

        out.assertIsSatisfied(WAIT_MILLIS);
        Hx711Consumer consumer = (Hx711Consumer) context.getRoute("scale").getConsumer();
        assertEquals(0, consumer.counters().rejected(Hx711RejectReason.TIMING));
        assertTrue(consumer.getClockHighHistogram().startsWith("<2µs: "), consumer.getClockHighHistogram());
    }

    @Test
    void channelBReadingsAreLabelledAndExact() throws Exception {
        MockEndpoint out = route("hx711:scale?gain=32&" + FAST);
        out.expectedMinimumMessageCount(1);
        out.message(0).body().isEqualTo(30000);
        out.message(0).header(Hx711Constants.GAIN).isEqualTo(32);
        out.message(0).header(Hx711Constants.CHANNEL).isEqualTo("B");
        context.start();

        out.assertIsSatisfied(WAIT_MILLIS);
    }

    @Test
    void eachEndpointReadsTheChipItsNameFindsAndTheOthersTheComponentsSimulator() throws Exception {
        try (Hx711Simulator keg = new Hx711Simulator()) {
            keg.setRate(80);
            SimulatedScaleLoads.twoKgRoundNumbers(keg);
            keg.setLoadKg(5);
            context.getRegistry().bind("chips", new Hx711Chips() {
                @Override
                public Optional<Hx711Settings> settings(String endpointName) {
                    // other pins than the scale's, or the two routes would read one chip
                    return Optional.of(Hx711Settings.defaults().withWiring(new Hx711Wiring.Gpio(17, 27)))
                            .filter(settings -> endpointName.equals("keg"));
                }

                @Override
                public Optional<Hx711Simulator> simulator(String endpointName) {
                    return Optional.of(keg).filter(simulated -> endpointName.equals("keg"));
                }
            });
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("hx711:keg?" + FAST).routeId("keg").to("mock:keg");
                    from("hx711:scale?" + FAST).routeId("scale").to("mock:out");
                }
            });
            MockEndpoint kegOut = context.getEndpoint("mock:keg", MockEndpoint.class);
            MockEndpoint out = context.getEndpoint("mock:out", MockEndpoint.class);
            kegOut.expectedMinimumMessageCount(1);
            kegOut.message(0).body().isEqualTo(150000);
            out.expectedMinimumMessageCount(1);
            out.message(0).body().isEqualTo(120000);
            context.start();

            MockEndpoint.assertIsSatisfied(context, WAIT_MILLIS, TimeUnit.MILLISECONDS);

            keg.setFault(Hx711Fault.UNPLUGGED);
            out.reset();
            out.expectedMinimumMessageCount(2);
            out.allMessages().body().isEqualTo(120000);
            out.assertIsSatisfied(WAIT_MILLIS); // the other chip reads on while one is unplugged
            context.stop();
        }
    }

    @Test
    void theComponentResolvesByItselfAndAutowiresTheSimulator() {
        context.start();
        Hx711Endpoint endpoint = context.getEndpoint("hx711:scale?readyTimeout=2s&settlingTime=100&dataPin=17"
                + "&clockPin=27&gain=64&samples=7&rate=80&clockHighLimit=50",
                Hx711Endpoint.class);

        assertSame(simulator, endpoint.getComponent().getSimulator());
        assertFalse(endpoint.isRemote(), "it reads hardware on this machine");
        assertEquals(2000, endpoint.getReadyTimeout());
        Hx711Settings settings = endpoint.settings();
        assertEquals(new Hx711Wiring.Gpio(17, 27), settings.wiring());
        assertEquals(Hx711Gain.A64, settings.gain());
        assertEquals(7, settings.samples());
        assertEquals(80, settings.rate());
        assertEquals(50_000, settings.clockHighLimit().toNanos());
        assertEquals(100, settings.effectiveSettlingTime().toMillis());
    }

    @Test
    void anEndpointFindsItsChipsSettingsByNameAndItsUriOptionsApplyOverThem() {
        Hx711Settings keg = Hx711Settings.defaults().withWiring(new Hx711Wiring.Gpio(17, 27)).withGain(Hx711Gain.A64)
                .withSamples(7).withCombine(Hx711Combine.TRIMMED_MEAN).withRate(80);
        context.getRegistry().bind("chips",
                (Hx711Chips) name -> Optional.of(keg).filter(settings -> name.equals("keg")));
        context.start();

        assertEquals(keg, context.getEndpoint("hx711:keg", Hx711Endpoint.class).settings());
        assertEquals(keg.withGain(Hx711Gain.B32).withSamples(3).withWiring(new Hx711Wiring.Gpio(17, 22)),
                context.getEndpoint("hx711:keg?gain=32&samples=3&clockPin=22", Hx711Endpoint.class).settings());
        assertEquals(keg.withWiring(Hx711Wiring.Spi.defaults()),
                context.getEndpoint("hx711:keg?wiring=spi", Hx711Endpoint.class).settings(),
                "another wiring: its own pins, the defaults where the URI gives none");
        assertEquals(Hx711Settings.defaults().withGain(Hx711Gain.A64),
                context.getEndpoint("hx711:other?gain=64", Hx711Endpoint.class).settings(),
                "a chip it does not know: the URI's options over the defaults");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gain=100                | Invalid gain 100: allowed values are 128 (channel A), 64 (channel A) or 32",
            "dataPin=6&clockPin=6    | Invalid dataPin/clockPin: both are BCM 6",
            "dataPin=28              | Invalid dataPin 28: allowed values are BCM GPIO numbers 0..27",
            "clockPin=-1             | Invalid clockPin -1: allowed values are BCM GPIO numbers 0..27",
            "samples=0               | Invalid samples 0: allowed values are 1..99",
            "samples=100             | Invalid samples 100: allowed values are 1..99",
            "rate=20                 | Invalid rate 20: allowed values are 10 or 80",
            "wiring=i2c              | Invalid wiring i2c: allowed values are gpio (PD_SCK and DOUT on two GPIO pins)",
            "wiring=spi&spiBus=7     | Invalid spiBus 7: allowed values are 0..6",
            "wiring=spi&spiChipSelect=3 | Invalid spiChipSelect 3: allowed values are 0..2",
            "readyTimeout=0          | Invalid readyTimeout PT0S: must be greater than 0",
            "clockHighLimit=0        | Invalid clockHighLimit PT0S: must be greater than 0",
            "settlingTime=-1         | Invalid settlingTime PT-0.001S: must be 0 (derive from rate) or more",
            "clockHighLimit=51       | Invalid clockHighLimit 51.0 µs: allowed values are up to 50 µs, the HX711's",
            "clockHighLimit=100      | past 60 µs it powers down and the bits clocked after are garbage). Leave it out",
            "wiring=spi&spiSpeed=1000001 | Invalid spiSpeed 1000001: allowed values are 100000..1000000 Hz",
            "wiring=spi&spiSpeed=99999 | Invalid spiSpeed 99999: allowed values are 100000..1000000 Hz"})
    void invalidOptionsFailEndpointCreationNamingTheOption(String options, String message) {
        context.start();

        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("hx711:scale?" + options));

        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theConsumerCountersAreJmxAttributes() throws Exception {
        MockEndpoint out = route("hx711:scale?" + FAST);
        out.expectedMinimumMessageCount(2);
        context.start();
        out.assertIsSatisfied(WAIT_MILLIS);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName(
                "org.apache.camel:context=" + context.getManagementName() + ",type=consumers,*"), null);
        assertEquals(1, names.size(), names.toString());
        ObjectName consumer = names.iterator().next();

        assertTrue((Long) server.getAttribute(consumer, "Reads") >= 2);
        assertTrue((Long) server.getAttribute(consumer, "GoodSamples") >= 6);
        assertEquals(List.of("timing", "saturated", "all_ones", "stuck_low", "noise"),
                List.copyOf(((Map<?, ?>) server.getAttribute(consumer, "RejectedSamples")).keySet()));
        for (String counter : List.of("DiscardedUnsettled", "DiscardedStale", "Timeouts")) {
            assertInstanceOf(Long.class, server.getAttribute(consumer, counter), counter);
        }
        assertTrue((Long) server.getAttribute(consumer, "Rehearsals") >= 50, "the clocking code was rehearsed");
        String histogram = (String) server.getAttribute(consumer, "ClockHighHistogram");
        assertTrue(histogram.matches("<2µs: \\d+, 2-5µs: \\d+, 5-10µs: \\d+, 10-20µs: \\d+, 20-40µs: \\d+,"
                + " 40-60µs: \\d+, >=60µs: \\d+"), histogram);
        long phases = java.util.Arrays.stream(histogram.split(", ")).mapToLong(b -> Long.parseLong(b.split(": ")[1]))
                .sum();
        assertTrue(phases >= 6 * 25, "every clock-high phase of the samples is counted: " + histogram);
    }

    /**
     * Pi4J 2.8.0's gpiod gives a GPIO line back only when its context shuts down (the simulator does the same): a
     * route edited and reloaded must not ask for its pins again.
     */
    @Test
    void theRouteCanBeReloadedTwentyTimesWithoutAskingForItsPinsAgain() throws Exception {
        MockEndpoint out = route("hx711:scale?" + FAST);
        out.expectedMinimumMessageCount(1);
        context.start();
        out.assertIsSatisfied(WAIT_MILLIS);

        for (int reload = 1; reload <= 20; reload++) {
            context.getRouteController().stopRoute("scale");
            context.removeRoute("scale");
            MockEndpoint reloaded = context.getEndpoint("mock:out", MockEndpoint.class);
            reloaded.reset();
            reloaded.expectedMinimumMessageCount(1);
            reloaded.message(0).body().isEqualTo(120000);

            route("hx711:scale?" + FAST.replace("samples=3", "samples=" + (1 + reload % 3)));

            reloaded.assertIsSatisfied(WAIT_MILLIS);
        }
    }

    @Test
    void twoRoutesCannotReadOneChipAtOnce() throws Exception {
        route("hx711:scale?" + FAST);
        context.start();

        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("hx711:other?" + FAST).routeId("other").to("mock:other");
            }
        }));

        assertTrue(
                rootMessage(e).contains(
                        "The HX711 on DOUT=BCM 5 (pin 29) / PD_SCK=BCM 6 (pin 31) is already read by hx711:scale"),
                rootMessage(e));
    }

    /**
     * Readings that fail because the machine was too busy for the chip's timing (here: a 1 µs limit, which few phases meet) are
     * not sensor faults: the consumer keeps polling at its rate instead of backing off, so the code gets every chance
     * to run fast.
     */
    @Test
    void timingFailuresDoNotMakeTheConsumerBackOff() throws Exception {
        route("hx711:scale?rate=80&samples=1&initialDelay=0&delay=20&readyTimeout=200&clockHighLimit=1"
                + "&backoffErrorThreshold=1&backoffMultiplier=1000");
        context.start();
        Hx711Consumer consumer = (Hx711Consumer) context.getRoute("scale").getConsumer();

        await().atMost(WAIT).until(() -> consumer.counters().rejected(Hx711RejectReason.TIMING) >= 8
                && consumer.getLastPollFailure() != null);
        long readsAfterAFailedOne = consumer.counters().getReads();

        await().atMost(WAIT).until(() -> consumer.counters().getReads() >= readsAfterAFailedOne + 3);
        assertTrue(consumer.counters().rejected(Hx711RejectReason.TIMING) >= 24, consumer.counters().toString());
    }

    @Test
    void theHealthCheckGoesDownWhenTheSensorStopsAnsweringAndUpWhenItAnswersAgain() throws Exception {
        // what camel.health.consumers-enabled does in Camel Main / Spring Boot
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        registry.register(registry.resolveById("consumers"));
        MockEndpoint out = route("hx711:scale?" + FAST);
        out.expectedMinimumMessageCount(1);
        context.start();
        out.assertIsSatisfied(WAIT_MILLIS);
        await().atMost(WAIT).until(this::consumerHealth, HealthCheck.State.UP::equals);

        simulator.setFault(Hx711Fault.UNPLUGGED);
        await().atMost(WAIT).until(this::consumerHealth, HealthCheck.State.DOWN::equals);
        HealthCheck.Result down = consumerResult();
        assertNotNull(down.getError().orElse(null));
        assertTrue(down.getError().get().getMessage().contains("did not signal data ready"),
                down.getError().get().getMessage());

        simulator.setFault(Hx711Fault.NONE);
        await().atMost(WAIT).until(this::consumerHealth, HealthCheck.State.UP::equals);
    }

    /** The HX711 has no chip select: a second chip on a bus would take the first one's clock pulses as its own. */
    @Test
    void aSecondEndpointOnTheSameSpiBusFailsNamingTheFirst() {
        context.start();
        context.getEndpoint("hx711:keg-1?wiring=spi");

        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("hx711:keg-2?wiring=spi&spiChipSelect=1"));

        assertTrue(e.getMessage().contains("Invalid spiBus 0: hx711:keg-1 already reads the HX711 on SPI bus 0, and the"
                + " HX711 has no chip select"), e.getMessage());
        assertNotNull(context.getEndpoint("hx711:keg-2?wiring=spi&spiBus=1"), "another bus");
        assertNotNull(context.getEndpoint("hx711:keg-1?wiring=spi&samples=3"), "the same chip with other options");
    }

    /**
     * A route stopped (or reloaded) while its consumer reads: the stop waits for the read, which ends at its next
     * sample, so the next consumer finds the chip between two reads and no clock pulse follows the stop.
     */
    @Test
    void stoppingTheRouteWaitsForTheReadInProgress() throws Exception {
        simulator.setRate(10);
        // 99 samples at 10 per second: a reading of ten seconds
        route("hx711:scale?rate=10&samples=99&initialDelay=0&delay=20&readyTimeout=1000");
        context.start();
        Hx711Consumer consumer = (Hx711Consumer) context.getRoute("scale").getConsumer();
        await().atMost(WAIT).until(() -> consumer.counters().getGoodSamples() >= 2);

        context.getRouteController().stopRoute("scale");

        long pulses = simulator.probe().clockPulseCount();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> simulator.probe().clockPulseCount() == pulses);
        // the reading ended: closed by the stop, or interrupted by the scheduler's shutdown, whichever came first
        assertTrue(consumer.getLastPollFailure().matches(".*(the driver was closed|interrupted while waiting).*"),
                consumer.getLastPollFailure());
    }

    /** Adds the route "scale" from this uri to mock:out (it starts with the context, or at once if it runs). */
    private MockEndpoint route(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("scale").to("mock:out");
            }
        });
        return context.getEndpoint("mock:out", MockEndpoint.class);
    }

    private HealthCheck.State consumerHealth() {
        return consumerResult().getState();
    }

    private HealthCheck.Result consumerResult() {
        return HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:scale"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no consumer health check among "
                        + HealthCheckHelper.invoke(context)));
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

}
