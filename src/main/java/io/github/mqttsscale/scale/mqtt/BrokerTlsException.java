package io.github.mqttsscale.scale.mqtt;

import java.nio.file.Path;

/**
 * A TLS file setting that cannot be used. The message names the property, the file, what is wrong and how to fix it.
 */
public class BrokerTlsException extends IllegalStateException {

    BrokerTlsException(String property, Path path, String problemAndFix) {
        this(property, path, problemAndFix, null);
    }

    BrokerTlsException(String property, Path path, String problemAndFix, Throwable cause) {
        super(property + (path == null ? "" : " (" + path + ")") + ": " + problemAndFix, cause);
    }
}
