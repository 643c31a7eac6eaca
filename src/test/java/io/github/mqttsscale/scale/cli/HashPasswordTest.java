package io.github.mqttsscale.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/** {@code mqtts-scale hash-password}: what it prints is what Spring Security checks a login against. */
class HashPasswordTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void printsABcryptHashThatMatchesThePasswordOnly() {
        assertThat(run("correct horse battery\n")).isZero();
        String hash = printed.toString(StandardCharsets.UTF_8).strip();
        assertThat(hash).startsWith("{bcrypt}$2a$10$").doesNotContain("correct horse");
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("correct horse battery", hash))
                .isTrue();
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("correct horse", hash))
                .isFalse();
    }

    @Test
    void aShortPasswordIsRefusedAndNothingIsHashed() {
        assertThat(run("short\n")).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("at least 8 characters: nothing hashed")
                .doesNotContain("{bcrypt}");
    }

    private int run(String typed) {
        return SubCommands.run(new String[]{"hash-password"},
                new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).orElseThrow();
    }
}
