package io.github.mqttsscale.scale.web;

import static org.springframework.security.config.Customizer.withDefaults;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Login for every HTTP endpoint except {@code /actuator/health}: a login form for browsers (the scale's own
 * {@link LoginPage}; Hawtio at {@code /actuator/hawtio}) and HTTP Basic for scripts (Jolokia at
 * {@code /actuator/jolokia}). Log-out is Spring Security's: {@code POST /logout} (the status page's button) and
 * Hawtio's "Log out", which goes to {@code GET /actuator/hawtio/auth/logout}.
 *
 * <p>Hawtio's own JAAS login is switched off ({@code hawtio.authenticationEnabled=false}): Spring Security
 * guards the Hawtio pages and Jolokia instead, and its login form is the login page. CSRF protection stays on.
 * The token travels the way Hawtio's JavaScript expects it: Hawtio copies the {@code XSRF-TOKEN} cookie into an
 * {@code X-XSRF-TOKEN} header on its Jolokia POSTs. Requests that bring their own {@code Authorization: Basic}
 * header (scripts) need no token, unless a browser marks them as coming from another site.</p>
 */
@Configuration(proxyBeanMethods = false)
public class WebSecurityConfig {

    static final String PASSWORD_FILE_NAME = "web-password";
    static final String HAWTIO_LOGOUT = HawtioAssetCaching.HAWTIO + "auth/logout";

    private static final Logger LOG = LoggerFactory.getLogger(WebSecurityConfig.class);
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");
    /** The web user's role: everything behind the login. */
    static final String WEB_ROLE = "SCALE";
    /** The metrics login's role: /actuator/prometheus alone. */
    static final String METRICS_ROLE = "METRICS";

    /** Also a listener of Spring Security's login events, which count the failures. */
    @Bean
    LoginThrottle loginThrottle() {
        return new LoginThrottle(Clock.systemUTC());
    }

    /** In Spring Security's chain only (below), not a second time as a filter of its own. */
    @Bean
    FilterRegistrationBean<LoginThrottle> loginThrottleOnlyInTheSecurityChain(LoginThrottle throttle) {
        FilterRegistrationBean<LoginThrottle> registration = new FilterRegistrationBean<>(throttle);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    SecurityFilterChain webSecurity(HttpSecurity http, LoginThrottle loginThrottle) throws Exception {
        CsrfTokenRequestAttributeHandler csrfTokens = new CsrfTokenRequestAttributeHandler();
        // load the token on every request, so that the XSRF-TOKEN cookie is there when Hawtio's page loads
        csrfTokens.setCsrfRequestAttributeName(null);
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                .requestMatchers(
                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/actuator/prometheus"))
                .hasAnyRole(WEB_ROLE, METRICS_ROLE)
                .requestMatchers(HttpMethod.GET, LoginPage.STYLE).permitAll()
                // the error page of a request that was already checked: keeps a refusal's 403 a 403
                .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                .anyRequest().hasRole(WEB_ROLE))
                .formLogin(form -> form.loginPage(LoginPage.PATH).permitAll())
                // Hawtio's "Log out" goes to its auth/logout, a GET: answered here like POST /logout, it lands on the
                // login page saying "logged out" (Hawtio's own servlet would send the browser to Hawtio's login route).
                // A GET carries no CSRF token, and needs none: the session cookie is SameSite=strict, so a page of
                // another site cannot make the browser send it along to log someone out.
                .logout(logout -> logout.logoutRequestMatcher(new OrRequestMatcher(
                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/logout"),
                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, HAWTIO_LOGOUT)))
                        .permitAll()) // the login page saying "logged out"
                .httpBasic(withDefaults())
                .addFilterBefore(loginThrottle, UsernamePasswordAuthenticationFilter.class)
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(csrfTokens)
                        .ignoringRequestMatchers(WebSecurityConfig::isScriptWithBasicAuth));
        return http.build();
    }

    @Bean
    FilterRegistrationBean<HawtioAssetCaching> hawtioAssetCaching() {
        FilterRegistrationBean<HawtioAssetCaching> registration = new FilterRegistrationBean<>(
                new HawtioAssetCaching());
        registration.addUrlPatterns(HawtioAssetCaching.HAWTIO + "*");
        return registration;
    }

    /** After Spring Security's filters (default order), so that the request knows its user. */
    @Bean
    FilterRegistrationBean<HawtioUser> hawtioUser(ObjectMapper json) {
        FilterRegistrationBean<HawtioUser> registration = new FilterRegistrationBean<>(new HawtioUser(json));
        registration.addUrlPatterns(HawtioUser.PATH, HawtioUser.PATH + "/*");
        return registration;
    }

    /**
     * The one web user: {@code spring.security.user.name} with {@code spring.security.user.password}, or, when no
     * password is configured, the one kept in {@code ${scale.data-dir}/web-password}. Replaces Spring Boot's
     * default user, so Boot never prints a generated password.
     */
    @Bean
    UserDetailsService webUser(SecurityProperties security, MetricsLogin metrics,
            @Value("${scale.data-dir}") Path dataDir) {
        SecurityProperties.User user = security.getUser();
        Optional<String> known = user.isPasswordGenerated()
                ? WebPasswordFile.readOrCreate(dataDir.resolve(PASSWORD_FILE_NAME))
                : Optional.of(user.getPassword());
        known.ifPresent(ignored -> LOG.info("Web login: user '{}', password {}", user.getName(),
                passwordSource(user, dataDir)));
        String password = known.orElseGet(WebPasswordFile::unknowable);
        List<String> roles = new ArrayList<>(user.getRoles());
        roles.add(WEB_ROLE);
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(User.withUsername(user.getName())
                .password(stored(password)).roles(roles.toArray(String[]::new)).build());
        if (metrics.password() != null && !metrics.password().isEmpty()) {
            if (metrics.user().equals(user.getName())) {
                throw new IllegalStateException("scale.metrics-login.user is '" + metrics.user() + "', the web user's "
                        + "name too: give the metrics login a name of its own");
            }
            users.createUser(User.withUsername(metrics.user()).password(stored(metrics.password()))
                    .roles(METRICS_ROLE).build());
            LOG.info("Metrics login: user '{}' may read /actuator/prometheus only", metrics.user());
        }
        return users;
    }

    /** Like Spring Boot's default user: plain text unless the configured value names its encoding ({bcrypt}...). */
    private static String stored(String password) {
        return password.startsWith("{") ? password : "{noop}" + password;
    }

    /** Where the web password is, as the log and the login page tell it: "in /path/web-password" or "from ...". */
    static String passwordSource(SecurityProperties.User user, Path dataDir) {
        return user.isPasswordGenerated()
                ? "in " + dataDir.resolve(PASSWORD_FILE_NAME).toAbsolutePath()
                : "from spring.security.user.password";
    }

    private static boolean isScriptWithBasicAuth(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String site = request.getHeader("Sec-Fetch-Site");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                && (site == null || OWN_SITE.contains(site));
    }
}
