package io.github.mqttsscale.scale.mqtt;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.function.Predicate;

import javax.net.ssl.SSLException;

import org.eclipse.paho.mqttv5.common.MqttException;

/** Turns what Paho and the JDK throw into one sentence that says what is wrong and what to change. */
final class ConnectionProblem {

    private ConnectionProblem() {
    }

    /**
     * Why a connection that was set up ended: an end of stream then is the broker or the network closing it, not a
     * handshake that failed.
     */
    static String explainLost(Throwable failure, BrokerProperties mqtt) {
        if (firstCause(failure, cause -> cause instanceof java.io.EOFException) != null) {
            return mqtt.host() + ":" + mqtt.port() + " closed the connection: the broker stopped or restarted, or the "
                    + "network on the way dropped it.";
        }
        return explain(failure, mqtt);
    }

    static String explain(Throwable failure, BrokerProperties mqtt) {
        String host = mqtt.host() + ":" + mqtt.port();
        if (failure instanceof PublishRefusedException refused) {
            return refused.getMessage();
        }
        if (failure instanceof MqttException mqttException) {
            switch (mqttException.getReasonCode()) {
                case 134 :
                    return "the broker refused the user name or password (MQTT reason 134): check scale.mqtt.username and scale.mqtt.password.";
                case 135 :
                    return "the broker says this client is not authorized (MQTT reason 135): check scale.mqtt.username, "
                            + "scale.mqtt.password and, if the broker needs one, scale.mqtt.client-cert.";
                case 133 :
                    return "the broker rejected client id '" + mqtt.clientId()
                            + "' (MQTT reason 133): set scale.mqtt.client-id.";
                case 136 :
                case 137 :
                    return "the broker is unavailable or busy (MQTT reason " + mqttException.getReasonCode() + ").";
                default :
                    break;
            }
        }
        // What this side found wrong with the broker's certificate comes first, wherever it sits in the chain: newer
        // JDKs wrap it in an SSLException named after the alert sent back ("(certificate_unknown) PKIX path ...").
        Throwable expired = firstCause(failure, cause -> cause instanceof CertificateExpiredException);
        if (expired != null) {
            return "a certificate in the TLS handshake has expired (" + expired.getMessage() + ").";
        }
        Throwable untrusted = firstCause(failure,
                cause -> cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException);
        if (untrusted != null) {
            return "the broker's certificate is not trusted (" + untrusted.getMessage() + "): "
                    + (mqtt.ca() == null
                            ? "set scale.mqtt.ca to the PEM file of the CA that signed it (public brokers such as HiveMQ Cloud need none)."
                            : "scale.mqtt.ca (" + mqtt.ca() + ") does not hold the CA that signed it.");
        }
        Throwable otherHost = firstCause(failure,
                cause -> cause instanceof CertificateException && String.valueOf(cause.getMessage()).contains("match"));
        if (otherHost != null) {
            return "the broker's certificate is not issued for host '" + mqtt.host() + "' (" + otherHost.getMessage()
                    + "): use the host name the certificate names in scale.mqtt.url.";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException && String.valueOf(cause.getMessage()).matches(
                    "(?s).*(bad_certificate|certificate_required|certificate_unknown|unknown_ca).*")) {
                return "the broker rejected the TLS handshake (" + cause.getMessage()
                        + "): it wants a client certificate "
                        + "it trusts; check scale.mqtt.client-cert and scale.mqtt.client-key.";
            }
            if (cause instanceof UnknownHostException) {
                return "host '" + mqtt.host() + "' cannot be resolved: check scale.mqtt.url and the network/DNS.";
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return "nothing accepts connections at " + host + " (" + cause.getMessage()
                        + "): is the broker up, and is the port right?";
            }
            if (cause instanceof java.io.EOFException) {
                return host + " closed the connection before TLS and MQTT were set up: a network problem on the way, "
                        + "or a broker that drops this client (check its logs).";
            }
            if (cause instanceof SocketTimeoutException) {
                return host + " did not answer within scale.mqtt.connect-timeout (" + mqtt.connectTimeout().toSeconds()
                        + " s).";
            }
        }
        if (failure instanceof MqttException mqttException && mqttException
                .getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
            return host
                    + " accepted the connection but did not complete the MQTT handshake within scale.mqtt.connect-timeout ("
                    + mqtt.connectTimeout().toSeconds() + " s).";
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return failure.getMessage() + (root != failure ? " (" + root + ")" : "") + ".";
    }

    private static Throwable firstCause(Throwable failure, Predicate<Throwable> wanted) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (wanted.test(cause)) {
                return cause;
            }
        }
        return null;
    }
}
