package io.github.mqttsscale.scale.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hawtio is 23 MB of JavaScript: without this, Spring Security's {@code no-store} made a browser fetch all of it on
 * every visit, over the Pi's Wi-Fi. Its {@code static/} files carry a hash of their content in their names, so the
 * browser may keep them for good; its other files it keeps and asks again each time (a 304 when unchanged). Only
 * Hawtio's files: the status page's data and every other answer stay uncached. Hawtio's own header filter forbids
 * caching everything it serves, before or after this filter (their order is not set), so the cache headers others set
 * on these files are ignored; Spring Security leaves a Cache-Control that is already set.
 */
class HawtioAssetCaching extends OncePerRequestFilter {

    static final String HAWTIO = "/actuator/hawtio/";
    private static final String HASHED = HAWTIO + "static/";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String cacheControl = path.startsWith(HASHED)
                ? "private, max-age=31536000, immutable"
                : path.startsWith(HAWTIO) && isFile(path) ? "private, no-cache" : null;
        if (cacheControl == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
        response.setHeader(HttpHeaders.PRAGMA, null);
        response.setHeader(HttpHeaders.EXPIRES, null);
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                if (!isCacheHeader(name)) {
                    super.setHeader(name, value);
                }
            }

            @Override
            public void addHeader(String name, String value) {
                if (!isCacheHeader(name)) {
                    super.addHeader(name, value);
                }
            }

            @Override
            public void setDateHeader(String name, long date) {
                if (!isCacheHeader(name)) {
                    super.setDateHeader(name, date);
                }
            }
        });
    }

    private static boolean isCacheHeader(String name) {
        return HttpHeaders.CACHE_CONTROL.equalsIgnoreCase(name) || HttpHeaders.PRAGMA.equalsIgnoreCase(name)
                || HttpHeaders.EXPIRES.equalsIgnoreCase(name);
    }

    /** Hawtio's own files (scripts, images, its config); not its Jolokia, nor the pages of its single-page app. */
    private static boolean isFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.matches(".+\\.(js|css|svg|ico|png|json|woff2?|ttf)") && !path.startsWith(HAWTIO + "jolokia");
    }
}
