package io.github.mqttsscale.scale.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Arrays;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * {@code mqtts-scale hash-password}: reads a password (without echo at a terminal, typed twice) and prints its bcrypt
 * hash as {@code spring.security.user.password} and {@code scale.metrics-login.password} take it,
 * {@code {bcrypt}$2a$10$...}, so the configuration holds no password in plain text. Needs no settings.
 */
final class HashPassword {

    /** Shorter is refused: a web password guessed in a few days of throttled logins is no password. */
    static final int MIN_LENGTH = 8;

    private HashPassword() {
    }

    static int run(Console console, InputStream in, PrintStream out) {
        String password;
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !Arrays.equals(first, again)) {
                out.println("The two passwords differ (or none was typed): nothing hashed.");
                return 1;
            }
            password = new String(first);
        } else {
            try {
                password = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset())).readLine();
            } catch (IOException e) {
                out.println("Cannot read the password: " + e.getMessage());
                return 1;
            }
        }
        if (password == null || password.length() < MIN_LENGTH) {
            out.println("The password needs at least " + MIN_LENGTH + " characters: nothing hashed.");
            return 1;
        }
        out.println("{bcrypt}" + new BCryptPasswordEncoder().encode(password));
        return 0;
    }
}
