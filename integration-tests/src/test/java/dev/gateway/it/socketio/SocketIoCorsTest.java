package dev.gateway.it.socketio;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * PROTOCOL section 1, CORS for the routes browsers call cross-origin (Socket.IO long-polling), from {@code FRONTEND_URL}:
 * the allowed origin echoed with credentials and {@code Vary: Origin}, preflights answered 204, any other origin 403
 * without CORS headers; with {@code FRONTEND_URL} unset, any origin is echoed.
 */
class SocketIoCorsTest {
    private static final String FRONT_END = "http://app.example.test:5173";
    private static final String OTHER = "http://evil.example.test";

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static GatewayProcess guarded;
    private static GatewayProcess open;

    @BeforeAll
    static void startNodes() {
        guarded = CLUSTER.start(Map.of("FRONTEND_URL", "http://other.example.test," + FRONT_END));
        open = CLUSTER.start(Map.of());
    }

    private static URI handshake(GatewayProcess node) {
        return URI.create("http://127.0.0.1:" + node.port() + "/socket.io/?EIO=4&transport=polling");
    }

    private static HttpResponse<String> get(GatewayProcess node, String origin) {
        return RawEngineIo.send(HttpRequest.newBuilder(handshake(node)).header("Origin", origin).timeout(RawEngineIo.TIMEOUT)
                                        .GET().build());
    }

    private static HttpResponse<String> preflight(GatewayProcess node, String origin) {
        return RawEngineIo.send(HttpRequest.newBuilder(handshake(node))
                                        .header("Origin", origin)
                                        .header("Access-Control-Request-Method", "GET")
                                        .header("Access-Control-Request-Headers", "authorization,x-tenant")
                                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                        .timeout(RawEngineIo.TIMEOUT).build());
    }

    private static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    @Test
    void aRequestFromAnAllowedOriginGetsThatOriginWithCredentialsAndVary() {
        HttpResponse<String> response = get(guarded, FRONT_END);

        assertThat(response.statusCode(), is(200));
        assertThat(response.body(), startsWith("0{"));
        assertThat(header(response, "Access-Control-Allow-Origin"), is(Optional.of(FRONT_END)));
        assertThat(header(response, "Access-Control-Allow-Credentials"), is(Optional.of("true")));
        assertThat(header(response, "Vary").orElse(""), containsString("Origin"));
    }

    @Test
    void aPostFromAnAllowedOriginGetsTheCorsHeadersToo() {
        String sid = RawEngineIo.json(get(guarded, FRONT_END).body().substring(1)).path("sid").asText();

        HttpResponse<String> post = RawEngineIo.send(
                HttpRequest.newBuilder(URI.create(handshake(guarded) + "&sid=" + sid)).header("Origin", FRONT_END)
                        .timeout(RawEngineIo.TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("40{\"token\":\""
                                                                                               + Tokens.forUser("cors") + "\"}"))
                        .build());

        assertThat(post.statusCode(), is(200));
        assertThat(header(post, "Access-Control-Allow-Origin"), is(Optional.of(FRONT_END)));
        assertThat(header(post, "Access-Control-Allow-Credentials"), is(Optional.of("true")));
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnswered204WithTheMethodsTheRequestedHeadersAndAMaxAge() {
        HttpResponse<String> response = preflight(guarded, FRONT_END);

        assertThat(response.statusCode(), is(204));
        assertThat(header(response, "Access-Control-Allow-Origin"), is(Optional.of(FRONT_END)));
        assertThat(header(response, "Access-Control-Allow-Credentials"), is(Optional.of("true")));
        assertThat(header(response, "Access-Control-Allow-Methods"), is(Optional.of("GET, POST, OPTIONS")));
        assertThat(header(response, "Access-Control-Allow-Headers").orElse("").toLowerCase(), containsString("authorization"));
        assertThat(header(response, "Access-Control-Allow-Headers").orElse("").toLowerCase(), containsString("x-tenant"));
        assertThat(header(response, "Access-Control-Max-Age").isPresent(), is(true));
        assertThat(header(response, "Vary").orElse(""), containsString("Origin"));
    }

    @Test
    void anyOtherOriginGets403AndNoCorsHeaders() {
        for (HttpResponse<String> response : new HttpResponse[] {get(guarded, OTHER), preflight(guarded, OTHER)}) {
            assertThat(response.statusCode(), is(403));
            assertThat(response.headers().map().keySet().stream()
                               .filter(name -> name.toLowerCase().startsWith("access-control-")).toList(), is(empty()));
        }
    }

    @Test
    void withoutFrontendUrlAnyOriginIsEchoedWithCredentials() {
        HttpResponse<String> response = get(open, OTHER);
        HttpResponse<String> preflight = preflight(open, OTHER);

        assertThat(response.statusCode(), is(200));
        assertThat(header(response, "Access-Control-Allow-Origin"), is(Optional.of(OTHER)));
        assertThat(header(response, "Access-Control-Allow-Credentials"), is(Optional.of("true")));
        assertThat(preflight.statusCode(), is(204));
        assertThat(header(preflight, "Access-Control-Allow-Origin"), is(Optional.of(OTHER)));
    }

    @Test
    void aRequestWithoutOriginIsNotABrowserAndGetsNoCorsHeaders() {
        HttpResponse<String> response = RawEngineIo.get(handshake(guarded));

        assertThat(response.statusCode(), is(200));
        assertThat(header(response, "Access-Control-Allow-Origin"), is(Optional.empty()));
    }

    @Test
    void aWebSocketUpgradeFromAnOriginNotAllowedKeepsIts403() {
        HttpResponse<String> response = RawEngineIo.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.port() + "/socket.io/?EIO=4&transport=websocket"))
                        .header("Origin", OTHER).timeout(RawEngineIo.TIMEOUT).GET().build());

        assertThat(response.statusCode(), is(403));
    }
}
