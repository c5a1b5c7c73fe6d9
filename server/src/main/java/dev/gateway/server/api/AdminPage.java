package dev.gateway.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

/**
 * {@code GET /admin}: the operators' page (PROTOCOL section 11), plain HTML, CSS and JavaScript from this jar, no build
 * step, no CDN. The files hold no secret: the page asks for the API key and calls the server API with it, so serving
 * them needs no key. They are served only where the API is, and with headers that keep them out of frames and caches
 * and let them load nothing from elsewhere.
 */
final class AdminPage {
    static final String RESOURCES = "dev/gateway/admin";
    private static final String POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'none'";

    private final byte[] index;

    AdminPage() {
        try (InputStream in = AdminPage.class.getClassLoader().getResourceAsStream(RESOURCES + "/index.html")) {
            if (in == null) {
                throw new IllegalStateException(RESOURCES + "/index.html is missing from the jar");
            }
            this.index = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void httpRouting(HttpRouting.Builder routing) {
        Handler headers = (req, res) -> {
            res.header(HeaderNames.CACHE_CONTROL, "no-store")
                    .header("Content-Security-Policy", POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer");
            res.next();
        };
        routing.any("/admin", headers);
        routing.any("/admin/*", headers);
        // the page itself at /admin (no redirect to /admin/): its files are named with absolute paths
        routing.get("/admin", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8").send(index));
        routing.register("/admin", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                                                                              .location(RESOURCES)
                                                                              .welcome("index.html")
                                                                              .build()));
    }
}
