package io.github.mqttsscale.scale.web;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import io.github.mqttsscale.scale.weighing.ScaleProperties;

/**
 * The login form of Spring Security's form login ({@code POST /login} with {@code username}, {@code password} and
 * the CSRF field), saying which scale it is and where its password is. Open to everyone, like its style sheet.
 */
@Controller
class LoginPage {

    static final String PATH = "/login";
    static final String STYLE = "/status.css";

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>mqtts-scale</title>
            <link rel="stylesheet" href="status.css">
            </head>
            <body>
            <header>
              <h1>mqtts-scale <span id="device">%s</span></h1>
            </header>
            <main class="login">
              %s
              <form method="post" action="login">
                <label>User <input name="username" autocomplete="username" required autofocus></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <input name="_csrf" type="hidden" value="%s">
                <button type="submit">Log in</button>
              </form>
              <p id="password-source" class="small">The password is %s.</p>
            </main>
            </body>
            </html>
            """;

    private final String deviceId;
    private final String passwordSource;

    LoginPage(ScaleProperties scale, SecurityProperties security) {
        this.deviceId = scale.deviceId();
        this.passwordSource = WebSecurityConfig.passwordSource(security.getUser(), scale.dataDir());
    }

    @GetMapping(path = PATH, produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String page(CsrfToken csrf, @RequestParam(required = false) String error,
            @RequestParam(required = false) String logout) {
        String message = error != null
                ? "<p id=\"login-error\" class=\"problem\" role=\"alert\">Wrong user name or password.</p>"
                : logout != null ? "<p id=\"logged-out\" role=\"status\">You are logged out.</p>" : "";
        return PAGE.formatted(htmlEscape(deviceId), message, htmlEscape(csrf.getToken()), htmlEscape(passwordSource));
    }
}
