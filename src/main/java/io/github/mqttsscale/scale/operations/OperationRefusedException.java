package io.github.mqttsscale.scale.operations;

/**
 * An operation that was not done; the message says why. Not an {@link IllegalArgumentException}, which JMX
 * clients such as Jolokia report as a bare "bad request" without the reason.
 */
public class OperationRefusedException extends RuntimeException {

    public OperationRefusedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
