package io.github.mqttsscale.scale.mqtt;

import java.nio.file.Path;

/**
 * A TLS file setting that cannot be used. The message names the property, the file, what is wrong and how to fix it.
 */
public class BrokerTlsException extends IllegalStateException {

    private final String property;
    private final transient Path path;

    BrokerTlsException(String property, Path path, String problemAndFix) {
        this(property, path, problemAndFix, null);
    }

    BrokerTlsException(String property, Path path, String problemAndFix, Throwable cause) {
        super(property + (path == null ? "" : " (" + path + ")") + ": " + problemAndFix, cause);
        this.property = property;
        this.path = path;
    }

    /** The configuration property at fault, e.g. {@code scale.mqtt.client-key}. */
    public String property() {
        return property;
    }

    /** The file at fault, or {@code null} when the property is missing. */
    public Path path() {
        return path;
    }
}
