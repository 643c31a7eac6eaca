package io.github.mqttsscale.scale.operations;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.mqttsscale.scale.mqtt.BrokerConnection;
import io.github.mqttsscale.scale.mqtt.Topics;
import io.github.mqttsscale.scale.weighing.Scale;
import io.github.mqttsscale.scale.weighing.Scales;

/**
 * Brings the commands from {@code scale/<device-id>/command} to the command route. The subscription belongs
 * to the {@link BrokerConnection}, which makes it again after every (re)connect; each message is handed to the
 * endpoint the route {@value #ROUTE_TEMPLATE} (of the scale the command is for) starts from, as routes/commands.camel.yaml says (a seda queue: never
 * processed on Paho's thread, which must not wait for the result's publish).
 * Retained messages are ignored: a retained "tare" would tare again at every reconnect.
 * <p>
 * Bounded, so that a flood of commands cannot fill the heap: a payload over {@value #MAX_COMMAND_BYTES} bytes is
 * refused unread, and while {@value #QUEUE_SIZE} commands wait (the seda queue's size,
 * {@code camel.component.seda.queue-size}) the next is refused as busy. Both refusals are answered on the result topic
 * as every command is, from a thread of their own (at most {@value #QUEUE_SIZE} answers waiting, the rest dropped).
 */
public class CommandInbox implements AutoCloseable {

    /** The id of the command route template in routes/commands.camel.yaml; each scale has a route made from it. */
    public static final String ROUTE_TEMPLATE = "commands";
    /** The largest command taken, in bytes: commands are a few dozen. */
    public static final int MAX_COMMAND_BYTES = 1024;
    /** How many commands may wait for the command route (application.yaml's camel.component.seda.queue-size). */
    public static final int QUEUE_SIZE = 10;

    private static final Logger LOG = LoggerFactory.getLogger(CommandInbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrokerConnection broker;
    private final ProducerTemplate camel;
    private final ThreadPoolExecutor refusals = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_SIZE), runnable -> {
                Thread thread = new Thread(runnable, "command-refusals");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());

    public CommandInbox(BrokerConnection broker, Scales scales, ProducerTemplate camel) {
        this.broker = broker;
        this.camel = camel;
        for (Scale scale : scales.all()) {
            Topics topics = new Topics(scale.deviceId());
            broker.subscribe(topics.command(), 1,
                    (topic, message) -> accept(scale.routeId(ROUTE_TEMPLATE), topics.commandResult(), topic, message));
        }
    }

    private void accept(String routeId, String resultTopic, String topic, MqttMessage message) {
        if (message.isRetained()) {
            LOG.warn("Ignored a retained command on {}: commands must not be retained (clear it with an empty "
                    + "retained message)", topic);
            return;
        }
        byte[] payload = message.getPayload();
        if (payload.length > MAX_COMMAND_BYTES) {
            refuse(resultTopic, String.format(Locale.ROOT, "too large: %d bytes, a command has at most %d; send e.g. "
                    + "{\"command\":\"tare\"}", payload.length, MAX_COMMAND_BYTES));
            return;
        }
        Route commands = camel.getCamelContext().getRoute(routeId);
        if (commands == null) {
            refuse(resultTopic,
                    "this scale runs no route " + routeId + ": put commands.camel.yaml back into its routes folder");
            return;
        }
        try {
            camel.sendBody(commands.getEndpoint(), new String(payload, StandardCharsets.UTF_8));
        } catch (CamelExecutionException | IllegalStateException full) {
            refuse(resultTopic,
                    String.format(Locale.ROOT, "busy: %d commands are waiting to run; send it again in a moment",
                            QUEUE_SIZE));
        }
    }

    /** Answers a command refused before it reached the command route, on a thread of its own. */
    private void refuse(String resultTopic, String reason) {
        LOG.debug("Refused a command: {}", reason);
        refusals.execute(() -> {
            try {
                MqttMessage answer = new MqttMessage(JSON.writeValueAsBytes(CommandResult.refused(null, reason)));
                answer.setQos(1);
                broker.client().publish(resultTopic, answer);
            } catch (MqttException | JsonProcessingException e) {
                LOG.debug("Refusal not answered: {}", e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        refusals.shutdownNow();
    }
}
