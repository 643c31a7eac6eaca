package io.github.mqttsscale.scale.outbox;

import java.time.Duration;
import java.util.Optional;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;

/**
 * Empties the outbox once the broker is back: oldest first, one at a time, each taken out only after
 * the broker acknowledged it (QoS 1), at most {@code scale.outbox.send-rate} per second so that a long
 * backlog does not crowd out the live readings or the broker. While the broker is away it sleeps until the
 * connection is back (no CPU spent on an outage, however long).
 */
public class OutboxSender implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private final Outbox outbox;
    private final BrokerConnection broker;
    private final long pauseMillis;
    private volatile Thread thread;

    public OutboxSender(Outbox outbox, BrokerConnection broker, int sendRatePerSecond) {
        this.outbox = outbox;
        this.broker = broker;
        this.pauseMillis = 1000L / sendRatePerSecond;
    }

    @Override
    public void start() {
        thread = new Thread(this::sendWhileRunning, "outbox-sender");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** After the broker connection starts and before Camel, so it stops after Camel and before the connection. */
    @Override
    public int getPhase() {
        return 1;
    }

    private void sendWhileRunning() {
        int sentInThisRun = 0;
        while (thread == Thread.currentThread()) {
            try {
                if (!broker.awaitConnected(IDLE_CHECK)) {
                    continue; // asleep while the broker is away: woken when it connects
                }
                Optional<Outbox.Next> oldest = outbox.oldest();
                if (oldest.isEmpty()) {
                    if (sentInThisRun > 0) {
                        LOG.info("Outbox empty: sent {} kept readings", sentInThisRun);
                        sentInThisRun = 0;
                    }
                    outbox.awaitReadings(IDLE_CHECK);
                    continue;
                }
                if (sentInThisRun == 0) {
                    LOG.info("Broker is back: sending {} kept readings, oldest first", outbox.getWaiting());
                }
                if (send(oldest.get().reading())) {
                    outbox.delivered(oldest.get().number());
                    sentInThisRun++;
                    Thread.sleep(pauseMillis);
                } else {
                    Thread.sleep(IDLE_CHECK.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("Outbox sender: {}", e.getMessage(), e);
                try {
                    Thread.sleep(IDLE_CHECK.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private boolean send(KeptReading reading) {
        MqttMessage message = new MqttMessage(reading.payload());
        message.setQos(reading.qos());
        try {
            broker.client().publish(reading.topic(), message);
            return true;
        } catch (MqttException e) {
            LOG.debug("Kept reading not sent yet: {}", e.getMessage());
            return false;
        }
    }
}
