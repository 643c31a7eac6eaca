package io.github.mqttsscale.scale.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.security.SecurityProperties;

/** The web user when a password is configured: no password file is involved. */
class WebUserTest {

    @TempDir
    Path dataDir;

    @Test
    void configuredPasswordIsUsedAndNoFileIsWritten() {
        assertThat(passwordOf("secret")).isEqualTo("{noop}secret");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void configuredEncodedPasswordIsKeptAsItIs() {
        String bcrypt = "{bcrypt}$2a$10$abcdefghijklmnopqrstuu1234567890123456789012345678901";
        assertThat(passwordOf(bcrypt)).isEqualTo(bcrypt);
    }

    @Test
    void aMetricsLoginNamedLikeTheWebUserIsRefused() {
        SecurityProperties security = new SecurityProperties();
        security.getUser().setName("scale");
        security.getUser().setPassword("secret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebSecurityConfig().webUser(security,
                new MetricsLogin("scale", "other"), dataDir)).hasMessageContaining("a name of its own");
    }

    private String passwordOf(String configured) {
        SecurityProperties security = new SecurityProperties();
        security.getUser().setName("scale");
        security.getUser().setPassword(configured);
        return new WebSecurityConfig().webUser(security, new MetricsLogin("metrics", null), dataDir)
                .loadUserByUsername("scale").getPassword();
    }
}
