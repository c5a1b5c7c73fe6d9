package dev.gateway.server.websocket;

import java.io.OutputStream;
import java.util.List;
import java.util.function.UnaryOperator;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.ServerResponseTrailers;
import io.helidon.http.Status;
import io.helidon.webserver.cors.CorsSupport;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * CORS for the HTTP routes that browsers call cross-origin (PROTOCOL section 1: Socket.IO's long-polling), from the
 * same {@code FRONTEND_URL} list that guards WebSocket upgrades; an empty list allows any origin, echoed with
 * credentials, as Socket.IO's {@code cors: {origin: true, credentials: true}}.
 * <p>
 * Helidon's {@link CorsSupport} decides and writes the headers. It differs from the contract only in its preflight
 * answer (200, {@code Access-Control-Allow-Methods} naming just the requested method, no {@code Vary}) and in the
 * spelling of {@code Vary: ORIGIN}: a preflight it allows is therefore sent as 204 with the whole method list and
 * {@code Vary: Origin}, and other answers get {@code Vary: Origin} as written. A request from an origin not
 * allowed gets Helidon's 403 with no CORS headers; same-origin requests and requests without {@code Origin}
 * (not a browser) pass untouched.
 */
public final class BrowserCors {
    /** How long a browser may cache a preflight answer. */
    static final long MAX_AGE_SECONDS = 86_400;
    private static final Header ALLOWED_METHODS = HeaderValues.create(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS,
                                                                      "GET, POST, OPTIONS");
    private static final Header VARY_ORIGIN = HeaderValues.create(HeaderNames.VARY, "Origin");

    private final CorsSupport cors;

    private BrowserCors(CorsSupport cors) {
        this.cors = cors;
    }

    /** @param allowedOrigins {@code FRONTEND_URL}'s origins; empty allows any */
    public static BrowserCors create(List<String> allowedOrigins) {
        return new BrowserCors(CorsSupport.builder()
                                       .name("browser-cors")
                                       .allowOrigins(allowedOrigins.isEmpty() ? new String[] {"*"}
                                                                              : allowedOrigins.toArray(String[]::new))
                                       .allowCredentials(true)
                                       .allowMethods("GET", "POST", "OPTIONS")
                                       .allowHeaders("*")
                                       .maxAgeSeconds(MAX_AGE_SECONDS)
                                       .build());
    }

    /** Applies CORS to every request at {@code path}; register before the path's own routes. */
    public void register(HttpRouting.Builder routing, String path) {
        routing.any(path, (req, res) -> {
            if (isPreflight(req)) {
                cors.handle(req, new Preflight(res));
                return;
            }
            cors.handle(req, res);
            if (!res.isSent() && res.headers().contains(HeaderNames.VARY)) {
                res.header(VARY_ORIGIN); // Helidon writes the header name as ORIGIN
            }
        });
    }

    private static boolean isPreflight(ServerRequest req) {
        return req.prologue().method() == Method.OPTIONS && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** The response to a preflight, turned into the contract's answer when Helidon allows it (and sends 200). */
    private static final class Preflight implements ServerResponse {
        private final ServerResponse response;

        Preflight(ServerResponse response) {
            this.response = response;
        }

        @Override
        public void send() {
            if (response.status() == Status.OK_200) {
                response.status(Status.NO_CONTENT_204).header(ALLOWED_METHODS).header(VARY_ORIGIN);
            }
            response.send();
        }

        @Override
        public ServerResponse status(Status status) {
            response.status(status);
            return this;
        }

        @Override
        public Status status() {
            return response.status();
        }

        @Override
        public ServerResponse header(Header header) {
            response.header(header);
            return this;
        }

        @Override
        public void send(byte[] bytes) {
            response.send(bytes);
        }

        @Override
        public void send(Object entity) {
            response.send(entity);
        }

        @Override
        public boolean isSent() {
            return response.isSent();
        }

        @Override
        public OutputStream outputStream() {
            return response.outputStream();
        }

        @Override
        public long bytesWritten() {
            return response.bytesWritten();
        }

        @Override
        public ServerResponse whenSent(Runnable listener) {
            response.whenSent(listener);
            return this;
        }

        @Override
        public ServerResponse reroute(String newPath) {
            response.reroute(newPath);
            return this;
        }

        @Override
        public ServerResponse reroute(String path, UriQuery query) {
            response.reroute(path, query);
            return this;
        }

        @Override
        public ServerResponse next() {
            response.next();
            return this;
        }

        @Override
        public ServerResponseHeaders headers() {
            return response.headers();
        }

        @Override
        public ServerResponseTrailers trailers() {
            return response.trailers();
        }

        @Override
        public void streamResult(String result) {
            response.streamResult(result);
        }

        @Override
        public void streamFilter(UnaryOperator<OutputStream> filterFunction) {
            response.streamFilter(filterFunction);
        }
    }
}
