package dev.gateway.it.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gateway.it.support.ApiClient.Answer;
import dev.gateway.it.support.ApiClient;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.auth.DevelopmentMode;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * When the server API is on, where, with which key, and what it answers while Redis is away (PROTOCOL sections 1 and
 * 9): {@code GATEWAY_API_KEY}, {@code API_PORT}, development mode's fixed key, 503 at once without Redis.
 */
class ServerApiSettingsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern API_PORT = Pattern.compile("api listening on port (\\d+)");

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static int apiPort(GatewayProcess node) {
        Matcher matcher = API_PORT.matcher(node.awaitOutput(API_PORT.pattern(), WAIT));
        assertThat(matcher.find(), is(true));
        return Integer.parseInt(matcher.group(1));
    }

    @Test
    void withoutAKeyTheApiAndTheAdminPageAnswer404() {
        GatewayProcess node = CLUSTER.start("api-off", Map.of());
        ApiClient api = ApiClient.of(node);
        for (Answer answer : List.of(api.get("/api/v1/nodes"), api.get("/api/v1/openapi.yaml"), api.get("/admin"),
                                     api.get("/admin/admin.js"), api.post("/api/v1/publish", Map.of()),
                                     api.authorization(Optional.empty()).get("/api/v1/nodes"))) {
            assertThat(answer.toString(), answer.status(), is(404));
        }
        assertThat(node.httpStatus("/observe/health"), is(200));
    }

    @Test
    void withApiPortTheApiAndTheAdminPageAreServedOnlyOnThatPort() {
        GatewayProcess node = CLUSTER.start("api-port", Gateways.env("GATEWAY_API_KEY", ApiClient.KEY, "API_PORT", "0"));
        int port = apiPort(node);
        assertThat(port, is(not(node.port())));
        ApiClient internal = ApiClient.at(port);
        assertThat(internal.get("/api/v1/nodes").status(), is(200));
        assertThat(internal.get("/admin").status(), is(200));
        assertThat(internal.get("/admin").body(), containsString("Gateway admin"));
        assertThat(internal.authorization(Optional.empty()).get("/api/v1/nodes").status(), is(401));
        assertThat(internal.get("/ws").status(), is(404)); // sockets stay on PORT

        ApiClient outside = ApiClient.of(node);
        for (Answer answer : List.of(outside.get("/api/v1/nodes"), outside.get("/api/v1/openapi.yaml"), outside.get("/admin"),
                                     outside.post("/api/v1/disconnect", Map.of("userId", "alice")))) {
            assertThat(answer.toString(), answer.status(), is(404));
            assertThat(answer.body(), is("{\"error\":\"not_found\"}"));
        }
        WsClient alice = CLUSTER.connect(node, "alice");
        assertThat(internal.get("/api/v1/users/alice/presence").json().path("sockets").asInt(), is(1));
        assertThat(alice.isClosed(), is(false));
    }

    @Test
    void developmentModeUsesTheFixedKeyAndNamesItInTheStartupWarning() {
        GatewayProcess node = CLUSTER.start("api-dev", Gateways.env("GATEWAY_DEV_MODE", "true"));
        String warning = node.awaitOutput("WARN.*dev-api-key", WAIT);
        assertThat(warning, containsString(DevelopmentMode.API_KEY));
        ApiClient api = ApiClient.of(node).authorization(Optional.of("Bearer " + DevelopmentMode.API_KEY));
        assertThat(api.get("/api/v1/nodes").status(), is(200));
        assertThat(ApiClient.of(node).get("/api/v1/nodes").status(), is(401));
    }

    @Test
    void aConfiguredKeyReplacesTheDevelopmentKeyAndIsNeverLogged() {
        GatewayProcess node = CLUSTER.start("api-dev-key", Gateways.env("GATEWAY_DEV_MODE", "true",
                                                                         "GATEWAY_API_KEY", ApiClient.KEY));
        assertThat(ApiClient.of(node).get("/api/v1/nodes").status(), is(200));
        assertThat(ApiClient.of(node).authorization(Optional.of("Bearer " + DevelopmentMode.API_KEY)).get("/api/v1/nodes").status(),
                   is(401));
        assertThat(node.output().stream().filter(line -> line.contains(ApiClient.KEY)).toList().isEmpty(), is(true));
        assertThat(node.output().stream().filter(line -> line.contains("dev-api-key")).toList().isEmpty(), is(true));
    }

    @Test
    void aKeyShorterThan32BytesStopsTheStartWithAOneLineReason() {
        GatewayProcess node = CLUSTER.launch("api-short", Gateways.env("GATEWAY_API_KEY", "only-31-bytes-long-api-key-1234"));
        assertThat(node.awaitExit(), is(2));
        node.awaitOutput("GATEWAY_API_KEY must be at least 32 bytes", WAIT);
    }

    @Test
    void anApiPortThatIsNoPortStopsTheStart() {
        GatewayProcess node = CLUSTER.launch("api-badport", Gateways.env("GATEWAY_API_KEY", ApiClient.KEY, "API_PORT", "http"));
        assertThat(node.awaitExit(), is(2));
        node.awaitOutput("API_PORT must be a port number", WAIT);
    }

    @Test
    void whileRedisIsAwayEveryEndpointAnswers503AtOnceOnEveryNode() {
        Map<String, String> env = Gateways.env("GATEWAY_API_KEY", ApiClient.KEY, "REDIS_TIMEOUT_MILLIS", "1000");
        GatewayProcess holder = CLUSTER.start("api-503-a", env);
        GatewayProcess other = CLUSTER.start("api-503-b", env);
        WsClient alice = CLUSTER.connect(holder, "alice");
        CLUSTER.redis().stop();
        try {
            for (GatewayProcess node : List.of(holder, other)) {
                Poll.eventually(node + " health without Redis", () -> node.health(), is(503));
                ApiClient api = ApiClient.of(node);
                for (Answer answer : List.of(api.post("/api/v1/publish", Map.of("target", Map.of("userId", "alice"), "event", "n")),
                                             api.post("/api/v1/chats/c/messages", Map.of("senderId", "u", "content", "x")),
                                             api.get("/api/v1/chats/c/messages"),
                                             api.put("/api/v1/chats/c/members/alice"),
                                             api.delete("/api/v1/chats/c/members/alice"),
                                             api.get("/api/v1/users/alice/presence"),
                                             api.post("/api/v1/presence/query", Map.of("userIds", List.of("alice"))),
                                             api.get("/api/v1/presence/online"),
                                             api.get("/api/v1/connections"),
                                             api.get("/api/v1/nodes"),
                                             api.post("/api/v1/disconnect", Map.of("socketId", alice.socketId())))) {
                    assertThat(answer.toString(), answer.status(), is(503));
                    assertThat(answer.json().path("error").asText(), is("unavailable"));
                }
                // the key is still checked first, and the document needs no Redis
                assertThat(api.authorization(Optional.empty()).get("/api/v1/nodes").status(), is(401));
                assertThat(api.get("/api/v1/openapi.yaml").status(), is(200));
            }
            assertThat(alice.isClosed(), is(false));
        } finally {
            CLUSTER.redis().start();
        }
        Poll.eventually("the API once Redis is back", () -> ApiClient.of(other).get("/api/v1/nodes").status(), is(200));
    }
}
