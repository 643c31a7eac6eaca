package io.github.mqttsscale.scale.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Failed web logins are logged at WARN, with the address they came from, and slowed down: after
 * {@value #FREE_FAILURES} failures in a row from one address, each next one locks that address out for twice as long as
 * the one before (from {@link #FIRST_LOCK}, at most {@link #LONGEST_LOCK}), and a login attempt meanwhile (the form,
 * or a request with HTTP Basic) is answered 429 with Retry-After, the password not even tried. A successful login
 * starts the address again from zero. A password of 16 random characters needs no more; a password a user chose can
 * no longer be guessed at the speed of the network.
 */
public class LoginThrottle extends OncePerRequestFilter {

    static final int FREE_FAILURES = 5;
    static final Duration FIRST_LOCK = Duration.ofSeconds(5);
    static final Duration LONGEST_LOCK = Duration.ofMinutes(5);
    /** Addresses remembered at most: a flood from many addresses cannot fill the heap. */
    private static final int MAX_ADDRESSES = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Clock clock;
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    @EventListener
    public void failed(AbstractAuthenticationFailureEvent event) {
        String address = address(event.getAuthentication().getDetails());
        if (byAddress.size() >= MAX_ADDRESSES) {
            byAddress.clear();
        }
        Failures failures = byAddress.merge(address, new Failures(1, Instant.MIN),
                (before, one) -> new Failures(before.count() + 1, before.lockedUntil()));
        Duration lock = lockAfter(failures.count());
        if (!lock.isZero()) {
            byAddress.put(address, new Failures(failures.count(), clock.instant().plus(lock)));
        }
        LOG.warn("Failed web login for '{}' from {} ({} in a row{}): {}", event.getAuthentication().getName(), address,
                failures.count(), lock.isZero() ? "" : "; further logins from there wait " + lock.toSeconds() + " s",
                event.getException().getMessage());
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        Object details = event.getAuthentication().getDetails();
        if (details instanceof WebAuthenticationDetails) {
            byAddress.remove(address(details));
        }
    }

    /** How long an address waits after this many failures in a row. */
    static Duration lockAfter(int failures) {
        if (failures < FREE_FAILURES) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - FREE_FAILURES, 16);
        Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
        return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isLoginAttempt(request)) {
            Failures failures = byAddress.get(request.getRemoteAddr());
            Instant now = clock.instant();
            if (failures != null && now.isBefore(failures.lockedUntil())) {
                long seconds = Math.max(1, Duration.between(now, failures.lockedUntil()).toSeconds());
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                response.sendError(429, "Too many failed logins from this address: try again in " + seconds + " s");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean isLoginAttempt(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                || "POST".equals(request.getMethod()) && LoginPage.PATH.equals(request.getServletPath());
    }

    private static String address(Object details) {
        return details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : "an unknown address";
    }
}
