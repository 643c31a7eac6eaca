package io.github.mqttsscale.scale.outbox;

import java.util.List;
import java.util.function.ToLongFunction;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The outbox's counts, each named and described once in {@link #METRICS}, and published twice from there: as the
 * attributes of the MBean {@value #OBJECT_NAME} (Hawtio, Jolokia) and as meters {@code scale.outbox.*} (Prometheus).
 */
public final class OutboxMetrics implements MeterBinder {

    public static final String OBJECT_NAME = "io.github.mqttsscale:type=Outbox";

    /**
     * One count of the outbox.
     *
     * @param attribute its JMX attribute
     * @param type      the attribute's type: int or long
     * @param meter     its meter, or null for none
     * @param gauge     whether the meter is a gauge (a number now) rather than a counter (since start)
     */
    private record Metric(String attribute, Class<?> type, String meter, boolean gauge, String description,
            ToLongFunction<Outbox> value) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("Waiting", int.class, "scale.outbox.waiting", true, "Readings waiting to be sent",
                    Outbox::getWaiting),
            new Metric("Kept", long.class, "scale.outbox.kept", false,
                    "Readings kept since start because they could not be published at once", Outbox::getKept),
            new Metric("Sent", long.class, null, false, "Kept readings the broker has acknowledged since start",
                    Outbox::getSent),
            new Metric("Dropped", long.class, "scale.outbox.dropped", false,
                    "Kept readings dropped since start because the outbox was full or they were too old",
                    Outbox::getDropped),
            new Metric("Lost", long.class, "scale.outbox.lost", false,
                    "Readings neither published nor kept since start, as the data directory could not be written",
                    Outbox::getLost),
            new Metric("Compactions", long.class, "scale.outbox.compactions", false,
                    "Times the journal was rewritten with the waiting readings alone, since start",
                    Outbox::getCompactions),
            new Metric("Damaged", long.class, "scale.outbox.damaged", false,
                    "Damaged stretches of the outbox skipped since start (each lost the reading, or the few readings, "
                            + "in it)",
                    Outbox::getDamaged));

    private final Outbox outbox;

    public OutboxMetrics(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        for (Metric metric : METRICS) {
            if (metric.meter() == null) {
                continue;
            }
            if (metric.gauge()) {
                Gauge.builder(metric.meter(), outbox, metric.value()::applyAsLong).description(metric.description())
                        .register(meters);
            } else {
                FunctionCounter.builder(metric.meter(), outbox, metric.value()::applyAsLong)
                        .description(metric.description()).register(meters);
            }
        }
    }

    /** The same counts as a read-only MBean, to register as {@link #objectName()}. */
    public DynamicMBean mbean() {
        return new Attributes();
    }

    public static ObjectName objectName() {
        try {
            return new ObjectName(OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object read(Metric metric) {
        long value = metric.value().applyAsLong(outbox);
        return metric.type() == int.class ? (Object) (int) value : (Object) value;
    }

    private final class Attributes implements DynamicMBean {

        @Override
        public Object getAttribute(String name) throws AttributeNotFoundException {
            return read(METRICS.stream().filter(metric -> metric.attribute().equals(name)).findFirst()
                    .orElseThrow(() -> new AttributeNotFoundException(name)));
        }

        @Override
        public AttributeList getAttributes(String[] names) {
            AttributeList values = new AttributeList();
            for (Metric metric : METRICS) {
                if (List.of(names).contains(metric.attribute())) {
                    values.add(new Attribute(metric.attribute(), read(metric)));
                }
            }
            return values;
        }

        @Override
        public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
            throw new AttributeNotFoundException(attribute.getName() + " is read-only");
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String operation, Object[] params, String[] signature) {
            throw new UnsupportedOperationException("The outbox's MBean has attributes only");
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            MBeanAttributeInfo[] attributes = METRICS.stream()
                    .map(metric -> new MBeanAttributeInfo(metric.attribute(), metric.type().getName(),
                            metric.description(), true, false, false))
                    .toArray(MBeanAttributeInfo[]::new);
            return new MBeanInfo(Outbox.class.getName(), "Readings kept while the broker was unreachable", attributes,
                    null, new MBeanOperationInfo[0], null);
        }
    }
}
