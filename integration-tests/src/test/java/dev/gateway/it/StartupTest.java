package dev.gateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.Poll;
import dev.gateway.it.support.TestRedis;
import dev.gateway.it.support.Tokens;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.auth.DevelopmentMode;
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
    static final TestRedis REDIS = new TestRedis(REDIS_PASSWORD);
    @RegisterExtension
    final Gateways gateways = new Gateways(REDIS);

    @Test
    void aNodeWithoutJwtSettingsRefusesToStartWithAOneLineReason() {
        GatewayProcess node = gateways.launch("node-nojwt", Gateways.env("JWT_SECRET", null));

        int exitCode = node.awaitExit();

        assertThat(exitCode, is(not(0)));
        assertThat(node.isListening(), is(false));
        assertThat(node.tail(20), node.output().stream().anyMatch(line -> line.contains("JWT")), is(true));
        assertNoStackTrace(node);
    }

    @Test
    void aJwtSecretShorterThan32BytesRefusesToStart() {
        GatewayProcess node = gateways.launch("node-short", Gateways.env("JWT_SECRET", "only-31-bytes-long-secret-12345"));

        int exitCode = node.awaitExit();

        assertThat(exitCode, is(not(0)));
        assertThat(node.isListening(), is(false));
        assertNoStackTrace(node);
    }

    @Test
    void developmentModeUsesTheFixedDevelopmentSecretAndWarnsAboutIt() {
        GatewayProcess node = gateways.start("node-dev", Gateways.env("JWT_SECRET", null, "GATEWAY_DEV_MODE", "true"));

        WsClient alice = gateways.connect(WsClient.to(node)
                                                  .bearer(Tokens.claims("alice").secret(DevelopmentMode.JWT_SECRET).sign()));

        assertThat(alice.connected().path("userId").asText(), is("alice"));
        node.awaitOutput("WARN.*(?i:development)", Duration.ofSeconds(5));
    }

    @Test
    void startUpLogsThePortTheNodeIdAndTheRedisUrlWithoutItsPassword() {
        GatewayProcess node = gateways.start("node-log", Gateways.env());

        String redisAddress = Pattern.quote("127.0.0.1:" + REDIS.port());
        node.awaitOutput("(?=.*\\b" + node.port() + "\\b)(?=.*node-log)(?=.*" + redisAddress + ")", Duration.ofSeconds(5));
        assertThat(node.output().stream().filter(line -> line.contains(REDIS_PASSWORD)).toList(), is(empty()));
    }

    @Test
    void anyOriginIsAcceptedWithAWarningWhenFrontendUrlIsUnset() {
        GatewayProcess node = gateways.start("node-origin", Gateways.env());

        WsClient alice = gateways.connect(WsClient.to(node).bearer(Tokens.forUser("alice"))
                                                  .origin("https://anything.example.org"));

        assertThat(alice.connected().path("userId").asText(), is("alice"));
        node.awaitOutput("WARN.*FRONTEND_URL", Duration.ofSeconds(5));
    }

    @Test
    void theDatabaseOfTheRedisUrlIsTheOneUsed() {
        GatewayProcess node = gateways.start("node-db3", Gateways.env("REDIS_URL", REDIS.url() + "/3"));

        WsClient alice = gateways.connect(node, "alice");

        try (RedisClient db3 = REDIS.client(3)) {
            Poll.eventually("alice's sockets in database 3",
                            () -> db3.smembers(GatewayRecords.userSocketsKey("alice")), is(Set.of(alice.socketId())));
        }
        assertThat(REDIS.scan("ws:connection:*"), is(empty()));
    }

    @Test
    void aWrongRedisPasswordMakesHealth503AndRefusesConnectionsWith503() {
        String wrongUrl = REDIS.url().replace(REDIS_PASSWORD, "wrong-password");
        GatewayProcess node = gateways.launch("node-badpw", Gateways.env("REDIS_URL", wrongUrl));

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
