package io.github.mqttsscale.scale.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.mqttsscale.scale.mqtt.TlsFiles;

/**
 * Debian's Mosquitto (package {@code mosquitto}), the broker many scale owners run at home, as a second broker beside
 * the embedded HiveMQ: over TLS with the test PKI's broker certificate, users with passwords, and an ACL file that
 * {@link #reloadAcl} rewrites and makes Mosquitto read again with SIGHUP, as an administrator does.
 */
public final class Mosquitto implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Path dir;
    private final TestPki pki;
    private final int port;
    private final Process process;

    private Mosquitto(Path dir, TestPki pki, int port, Process process) {
        this.dir = dir;
        this.pki = pki;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts Mosquitto on a free port of localhost, its files in {@code dir}.
     *
     * @param users user name → password
     * @param acl   the ACL file's text (Mosquitto's {@code acl_file} syntax)
     */
    public static Mosquitto start(Path dir, TestPki pki, Map<String, String> users, String acl) {
        try {
            Files.createDirectories(dir);
            Path passwords = dir.resolve("passwords");
            Files.deleteIfExists(passwords);
            for (Map.Entry<String, String> user : users.entrySet()) {
                run(List.of("mosquitto_passwd", "-b", Files.exists(passwords) ? "" : "-c", passwords.toString(),
                        user.getKey(), user.getValue()).stream().filter(arg -> !arg.isEmpty()).toList());
            }
            Files.writeString(dir.resolve("acl"), acl);
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            // run as root (CI), Mosquitto would switch to the user mosquitto, which may not read the test's files
            Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                    "user " + System.getProperty("user.name"), "per_listener_settings false",
                    "allow_anonymous false", "password_file " + passwords, "acl_file " + dir.resolve("acl"),
                    "persistence false", "log_dest file " + dir.resolve("mosquitto.log"),
                    "log_type error", "log_type warning", "log_type notice", "log_type information",
                    "listener " + port + " " + TestPki.BROKER_IP, "cafile " + pki.caCertPem(),
                    "certfile " + pki.brokerCertPem(), "keyfile " + pki.brokerKeyPem(), ""));
            // Debian puts it in /usr/sbin, which a user's PATH may leave out
            String program = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
            Process process = new ProcessBuilder(program, "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
            Mosquitto mosquitto = new Mosquitto(dir, pki, port, process);
            mosquitto.awaitListening();
            return mosquitto;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Mosquitto (Debian package mosquitto) in " + dir, e);
        }
    }

    public String url() {
        return "ssl://" + TestPki.BROKER_HOST + ":" + port;
    }

    /** The CA certificate to trust it with, and no client certificate (it asks for none). */
    public TlsFiles tls() {
        return TlsFiles.trusting(pki.caCertPem());
    }

    /** Writes a new ACL file and sends SIGHUP, which makes Mosquitto read it again (its log says so). */
    public void reloadAcl(String acl) {
        try {
            Files.writeString(dir.resolve("acl"), acl);
            run(List.of("kill", "-HUP", String.valueOf(process.pid())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes {@code payload} at QoS 1 with Debian's mosquitto_pub, as a user at a terminal does. */
    public void publish(String username, String password, String topic, String payload) {
        run(List.of("mosquitto_pub", "-V", "5", "-h", TestPki.BROKER_HOST, "-p", String.valueOf(port), "--cafile",
                pki.caCertPem().toString(), "-u", username, "-P", password, "-q", "1", "-t", topic, "-m", payload));
    }

    public Path log() {
        return dir.resolve("mosquitto.log");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Socket socket = new Socket(TestPki.BROKER_IP, port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("Mosquitto did not start listening on port " + port + ": "
                            + Files.readString(dir.resolve("mosquitto.out")), notYet);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, 1)) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
