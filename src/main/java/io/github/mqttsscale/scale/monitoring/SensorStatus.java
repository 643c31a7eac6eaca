package io.github.mqttsscale.scale.monitoring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.mqtt.Topics;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * Each scale's sensor on {@code scale/<device-id>/sensor}, retained: {@value #ONLINE} while its load cell gives
 * readings, {@value #OFFLINE} once it has given none for {@link #SETTLE}: its route does not run (pins that cannot be
 * opened) or its polls fail with no good sample in between (unplugged, shorted); one poll missed on a busy machine does
 * not count. Published at each change, once connected. Home Assistant takes it, with the connection's status, as the
 * scale's availability: with several scales, the keg whose sensor fails is the one shown unavailable.
 * <p>
 * Watched from the moment the application is ready (its routes started), and published only once known: a first good
 * sample, or {@link #SETTLE} of failing: a start does not say "offline" while its routes are still starting, nor
 * "online" for a few seconds for a sensor that is unplugged.
 */
public class SensorStatus implements AutoCloseable {

    static final String ONLINE = "online";
    static final String OFFLINE = "offline";
    /** How long polls must fail, with no good sample, before the sensor is offline. */
    static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(SensorStatus.class);

    private final BrokerConnection broker;
    private final List<Watched> sensors;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sensor-status");
        thread.setDaemon(true);
        return thread;
    });

    public SensorStatus(Scales scales, BrokerConnection broker) {
        this.broker = broker;
        this.sensors = scales.all().stream().map(Watched::new).toList();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void applicationReady() {
        checks.scheduleWithFixedDelay(this::check, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        long now = System.nanoTime();
        for (Watched sensor : sensors) {
            String state = sensor.state(now);
            if (state != null && !state.equals(sensor.published) && broker.isConnected()) {
                try {
                    broker.publishRetained(new Topics(sensor.scale.deviceId()).sensor(), state);
                    sensor.published = state;
                } catch (MqttException | RuntimeException e) {
                    LOG.debug("Sensor status of {} not published yet: {}", sensor.scale.deviceId(), e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }

    /** What the checks saw of one scale's sensor; touched by the check thread only. */
    private static final class Watched {
        private final Scale scale;
        private String published;
        private long goodSamplesSeen;
        private long failingSinceNanos;
        private boolean failing;

        Watched(Scale scale) {
            this.scale = scale;
        }

        /**
         * {@link #ONLINE} while readings come, {@link #OFFLINE} once they stopped for {@link #SETTLE}; meanwhile, and
         * before the first good sample, what was published (null: nothing yet).
         */
        String state(long now) {
            long goodSamples = scale.loadCell().consumer().map(consumer -> consumer.counters().getGoodSamples())
                    .orElse(0L);
            boolean progressed = goodSamples > 0 && goodSamples != goodSamplesSeen;
            goodSamplesSeen = goodSamples;
            boolean fine = scale.loadCell().problem().isEmpty();
            if (progressed || fine && goodSamples > 0) {
                failing = false;
                return ONLINE;
            }
            if (fine) {
                return published; // its first reading is under way
            }
            if (!failing) {
                failing = true;
                failingSinceNanos = now;
            }
            return now - failingSinceNanos < SETTLE.toNanos() ? published : OFFLINE;
        }
    }
}
