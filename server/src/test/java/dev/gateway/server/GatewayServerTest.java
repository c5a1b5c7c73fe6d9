package dev.gateway.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.testsupport.TestRedis;

import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The production wiring ({@link Gateway#setup}) in a server started by helidon-testing, against a real Redis and a
 * real WebSocket client. The scenario suite in integration-tests covers the behaviour across processes and nodes.
 */
@ServerTest
class GatewayServerTest {
    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256!";
    private static TestRedis redisServer;
    private static RedisClient redis;
    private static Gateway gateway;

    private final WebServer server;
    private final Http1Client http;

    GatewayServerTest(WebServer server, Http1Client http) {
        this.server = server;
        this.http = http;
        synchronized (GatewayServerTest.class) {
            if (gateway.port() < 0) {
                gateway.started(server);
            }
        }
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder builder) {
        redisServer = TestRedis.started();
        redis = redisServer.client();
        gateway = Gateway.create(EnvironmentAliases.load(Map.of("REDIS_URL", redisServer.url(),
                                                                "JWT_SECRET", SECRET,
                                                                "GATEWAY_NODE_ID", "server-test")),
                                 Clock.systemUTC());
        gateway.setup(builder);
    }

    @AfterAll
    static void tearDown() {
        gateway.stop();
        redisServer.close();
    }

    @Test
    void healthIsUpWhileRedisAnswers() {
        try (HttpClientResponse response = http.get("/observe/health").request()) {
            assertThat(response.status(), is(Status.OK_200));
        }
    }

    @Test
    void anUpgradeWithoutATokenIsAnsweredWith401AndAJsonReason() {
        try (HttpClientResponse response = http.get("/ws").request()) {
            assertThat(response.status(), is(Status.UNAUTHORIZED_401));
            assertThat(response.as(String.class), is("{\"error\":\"unauthorized\",\"message\":\"missing token\"}"));
        }
    }

    @Test
    void aPlainGetWithAGoodTokenIsToldToUpgrade() {
        try (HttpClientResponse response = http.get("/ws").queryParam("access_token", token("alice")).request()) {
            assertThat(response.status(), is(Status.UPGRADE_REQUIRED_426));
        }
    }

    @Test
    void metricsAreServedAsPrometheusText() {
        try (HttpClientResponse response = http.get("/observe/metrics").request()) {
            assertThat(response.as(String.class), containsString("gateway_connections_open"));
        }
    }

    @Test
    void aClientWithAGoodTokenIsConnectedRegisteredAndAnswered() throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws?access_token=" + token("bob") + "&deviceId=phone"),
                            new Collector(frames))
                .get(10, TimeUnit.SECONDS);
        try {
            String connected = frames.poll(10, TimeUnit.SECONDS);
            assertThat(connected, startsWith("{\"event\":\"connected\""));
            assertThat(frames.poll(10, TimeUnit.SECONDS), is("{\"event\":\"presence:bulk-online\",\"data\":{\"users\":[]}}"));
            String socketId = connected.replaceAll(".*\"socketId\":\"([^\"]+)\".*", "$1");
            assertThat(redis.get(RedisKeys.connection(socketId)), notNullValue());
            assertThat(redis.smembers(RedisKeys.deviceConnections("bob", "phone")), is(java.util.Set.of(socketId)));

            socket.sendText("{\"event\":\"presence:ping\",\"ack\":1}", true);
            assertThat(frames.poll(10, TimeUnit.SECONDS), is("{\"event\":\"ack\",\"ack\":1,\"data\":{\"success\":true}}"));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    private static String token(String user) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            long now = Instant.now().getEpochSecond();
            String body = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(("{\"sub\":\"" + user + "\",\"iat\":" + now + ",\"exp\":" + (now + 600) + "}")
                                                 .getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return body + "." + b64.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Collector(LinkedBlockingQueue<String> frames) implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frames.add(data.toString());
            webSocket.request(1);
            return null;
        }
    }

}
