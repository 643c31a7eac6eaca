package io.github.mqttsscale.scale.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Hawtio asks its {@code user} endpoint who is logged in, and offers "Log out" only to someone other than
 * {@code "public"}, which is all its own endpoint answers while its JAAS login is off
 * ({@code hawtio.authenticationEnabled=false}). This answers with the user Spring Security logged in instead, so
 * Hawtio's menu shows the name and "Log out" (which Spring Security's logout handles, see WebSecurityConfig).
 */
class HawtioUser extends OncePerRequestFilter {

    static final String PATH = HawtioAssetCaching.HAWTIO + "user";

    private final ObjectMapper json;

    HawtioUser(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = request.getRemoteUser();
        if (user == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getWriter(), user);
    }
}
