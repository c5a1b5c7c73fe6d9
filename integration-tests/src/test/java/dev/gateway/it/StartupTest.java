package dev.gateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.auth.DevelopmentMode;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 1: configuration through the environment. Redis here requires a password, so every node in this
 * class also shows that {@code redis://:password@host:port} works.
 */
class StartupTest {
    private static final String REDIS_PASSWORD = "It-S3cret-Pa55w0rd";

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis().redis(new TestRedis(REDIS_PASSWORD));

    @Test
    void aNodeWithoutJwtSettingsRefusesToStartWithAOneLineReason() {
        GatewayProcess node = CLUSTER.launch("node-nojwt", Gateways.env("JWT_SECRET", null));

        int exitCode = node.awaitExit();

        assertThat(exitCode, is(not(0)));
        assertThat(node.isListening(), is(false));
        assertThat(node.tail(20), node.output().stream().anyMatch(line -> line.contains("JWT")), is(true));
        assertNoStackTrace(node);
    }

    @Test
    void aJwtSecretShorterThan32BytesRefusesToStart() {
        GatewayProcess node = CLUSTER.launch("node-short", Gateways.env("JWT_SECRET", "only-31-bytes-long-secret-12345"));

        int exitCode = node.awaitExit();

        assertThat(exitCode, is(not(0)));
        assertThat(node.isListening(), is(false));
        assertNoStackTrace(node);
    }

    @Test
    void developmentModeUsesTheFixedDevelopmentSecretAndWarnsAboutIt() {
        GatewayProcess node = CLUSTER.start("node-dev", Gateways.env("JWT_SECRET", null, "GATEWAY_DEV_MODE", "true"));

        WsClient alice = CLUSTER.connect(WsClient.to(node)
                                                  .bearer(Tokens.claims("alice").secret(DevelopmentMode.JWT_SECRET).sign()));

        assertThat(alice.connected().path("userId").asText(), is("alice"));
        node.awaitOutput("WARN.*(?i:development)", Duration.ofSeconds(5));
    }

    @Test
    void startUpLogsThePortTheNodeIdAndTheRedisUrlWithoutItsPassword() {
        GatewayProcess node = CLUSTER.start("node-log", Gateways.env());

        String redisAddress = Pattern.quote("127.0.0.1:" + CLUSTER.redis().port());
        node.awaitOutput("(?=.*\\b" + node.port() + "\\b)(?=.*node-log)(?=.*" + redisAddress + ")", Duration.ofSeconds(5));
        assertThat(node.output().stream().filter(line -> line.contains(REDIS_PASSWORD)).toList(), is(empty()));
    }

    @Test
    void anyOriginIsAcceptedWithAWarningWhenFrontendUrlIsUnset() {
        GatewayProcess node = CLUSTER.start("node-origin", Gateways.env());

        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(Tokens.forUser("alice"))
                                                  .origin("https://anything.example.org"));

        assertThat(alice.connected().path("userId").asText(), is("alice"));
        node.awaitOutput("WARN.*FRONTEND_URL", Duration.ofSeconds(5));
    }

    @Test
    void theDatabaseOfTheRedisUrlIsTheOneUsed() {
        GatewayProcess node = CLUSTER.start("node-db3", Gateways.env("REDIS_URL", CLUSTER.redis().url() + "/3"));

        WsClient alice = CLUSTER.connect(node, "alice");

        try (RedisClient db3 = CLUSTER.redis().client(3)) {
            Poll.eventually("alice's sockets in database 3",
                            () -> db3.smembers(GatewayRecords.userSocketsKey("alice")), is(Set.of(alice.socketId())));
        }
        assertThat(CLUSTER.redis().scan("ws:connection:*"), is(empty()));
    }

    @Test
    void aWrongRedisPasswordMakesHealth503AndRefusesConnectionsWith503() {
        String wrongUrl = CLUSTER.redis().url().replace(REDIS_PASSWORD, "wrong-password");
        GatewayProcess node = CLUSTER.launch("node-badpw", Gateways.env("REDIS_URL", wrongUrl));

        Poll.eventually("node-badpw listens or exits", () -> node.isListening() || !node.isAlive(), is(true));
        if (node.isListening()) {
            assertThat(node.health(), is(503));
            assertThat(WsClient.to(node).bearer(Tokens.forUser("alice")).refusal().status(), is(503));
        } else {
            assertThat(node.awaitExit(), is(not(0)));
            assertNoStackTrace(node);
        }
        assertThat(node.output().stream().filter(line -> line.contains("wrong-password")).toList(), is(empty()));
    }

    private static void assertNoStackTrace(GatewayProcess node) {
        List<String> frames = node.output().stream().filter(line -> line.matches("\\s+at \\S+\\(.*\\)")).toList();
        assertThat("no stack trace in the output:\n" + node.tail(40), frames, is(empty()));
        assertThat(node.output(), hasItem(not(is(""))));
    }
}
