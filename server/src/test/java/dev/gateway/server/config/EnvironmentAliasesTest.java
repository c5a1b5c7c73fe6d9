package dev.gateway.server.config;

import java.util.Map;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class EnvironmentAliasesTest {

    @Test
    void withoutEnvironmentTheServerPortIsTheDefault() {
        assertThat(EnvironmentAliases.load(Map.of()).get("server.port").asInt().get(), is(8080));
    }

    @Test
    void portOverridesTheServerPort() {
        assertThat(EnvironmentAliases.load(Map.of("PORT", "9090")).get("server.port").asInt().get(), is(9090));
    }

    @Test
    void portZeroIsPassedThroughToPickAFreePort() {
        assertThat(EnvironmentAliases.load(Map.of("PORT", "0")).get("server.port").asInt().get(), is(0));
    }

    @Test
    void withoutEnvironmentRedisIsTheLocalDefaultAndNotMarkedAsSet() {
        Config config = EnvironmentAliases.load(Map.of());

        assertThat(config.get("gateway.redis.url").asString().get(), is("redis://localhost:6379"));
        assertThat(config.get("gateway.redis.url-set").asBoolean().get(), is(false));
    }

    @Test
    void redisUrlSetsTheUrlAndMarksItAsSet() {
        Config config = EnvironmentAliases.load(Map.of("REDIS_URL", "redis://cache:6380/2"));

        assertThat(config.get("gateway.redis.url").asString().get(), is("redis://cache:6380/2"));
        assertThat(config.get("gateway.redis.url-set").asBoolean().get(), is(true));
    }

    @Test
    void aBlankRedisUrlIsNotMarkedAsSet() {
        Config config = EnvironmentAliases.load(Map.of("REDIS_URL", "  "));

        assertThat(config.get("gateway.redis.url-set").asBoolean().get(), is(false));
    }

    @Test
    void aBlankRedisUrlKeepsTheDefaultUrl() {
        Config config = EnvironmentAliases.load(Map.of("REDIS_URL", ""));

        assertThat(config.get("gateway.redis.url").asString().get(), is("redis://localhost:6379"));
    }

    @ParameterizedTest
    @CsvSource({
            "HOST, server.host",
            "GATEWAY_NODE_ID, gateway.node-id",
            "GATEWAY_DEV_MODE, gateway.dev-mode",
            "REDIS_TIMEOUT_MILLIS, gateway.redis.timeout-millis",
            "REDIS_POOL_SIZE, gateway.redis.pool-size",
            "JWT_SECRET, gateway.jwt.secret",
            "JWT_JWKS, gateway.jwt.jwks",
            "JWT_ISSUER, gateway.jwt.issuer",
            "JWT_AUDIENCE, gateway.jwt.audience",
            "FRONTEND_URL, gateway.frontend-url",
            "HEARTBEAT_INTERVAL_SECONDS, gateway.heartbeat-interval-seconds",
            "PRESENCE_TTL_SECONDS, gateway.presence-ttl-seconds",
            "MAX_FRAME_BYTES, gateway.max-frame-bytes",
            "RATE_LIMIT_PER_SECOND, gateway.rate-limit-per-second",
            "OUTBOUND_QUEUE_FRAMES, gateway.outbound-queue-frames",
            "PRESENCE_NOTIFY, gateway.presence-notify",
            "CHAT_MEMBERSHIP, gateway.chat-membership",
            "NODE_HEARTBEAT_SECONDS, gateway.node-heartbeat-seconds",
            "NODE_TTL_SECONDS, gateway.node-ttl-seconds",
            "EVENTS, gateway.events",
            "EVENTS_MAXLEN, gateway.events-maxlen"})
    void eachContractVariableOverridesItsKey(String variable, String key) {
        assertThat(EnvironmentAliases.load(Map.of(variable, "given")).get(key).asString().get(), is("given"));
    }

    @ParameterizedTest
    @CsvSource({
            "server.host, 0.0.0.0",
            "gateway.heartbeat-interval-seconds, 25",
            "gateway.presence-ttl-seconds, 60",
            "gateway.max-frame-bytes, 65536",
            "gateway.rate-limit-per-second, 50",
            "gateway.outbound-queue-frames, 1024",
            "gateway.presence-notify, interested",
            "gateway.chat-membership, open",
            "gateway.node-heartbeat-seconds, 5",
            "gateway.node-ttl-seconds, 15",
            "gateway.events, on",
            "gateway.events-maxlen, 100000"})
    void otherwiseTheDefaultsOfApplicationYamlApply(String key, String value) {
        assertThat(EnvironmentAliases.load(Map.of()).get(key).asString().get(), is(value));
    }

    @Test
    void variablesOutsideTheContractAreIgnored() {
        Config config = EnvironmentAliases.load(Map.of("GATEWAY_REDIS_URL", "redis://other:1", "SERVER_PORT", "1",
                                                       "gateway.redis.url", "redis://other:2"));

        assertThat(config.get("gateway.redis.url").asString().get(), is("redis://localhost:6379"));
        assertThat(config.get("server.port").asInt().get(), is(8080));
    }
}
