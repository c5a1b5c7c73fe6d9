package dev.gateway.server.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.store.EventStream;
import dev.gateway.server.config.GatewaySettings.ChatMembership;
import dev.gateway.server.config.GatewaySettings.PresenceNotify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GatewaySettingsTest {

    @Test
    void withoutEnvironmentEverySettingHasTheDefaultOfTheContract() {
        GatewaySettings settings = settings(Map.of());

        assertThat(settings.redisUrl(), is("redis://localhost:6379"));
        assertThat(settings.redisUrlSet(), is(false));
        assertThat(settings.devMode(), is(false));
        assertThat(settings.heartbeatInterval(), is(Duration.ofSeconds(25)));
        assertThat(settings.presenceTtl(), is(Duration.ofSeconds(60)));
        assertThat(settings.maxMessageBytes(), is(65536));
        assertThat(settings.rateLimitPerSecond(), is(50));
        assertThat(settings.outboundQueueFrames(), is(1024));
        assertThat(settings.presenceNotify(), is(PresenceNotify.INTERESTED));
        assertThat(settings.chatMembership(), is(ChatMembership.OPEN));
        assertThat(settings.nodeHeartbeat(), is(Duration.ofSeconds(5)));
        assertThat(settings.nodeTtl(), is(Duration.ofSeconds(15)));
        assertThat(settings.allowedOrigins(), is(List.of()));
    }

    @Test
    void withoutEnvironmentTheCapsHaveTheDefaultsOfTheContract() {
        GatewaySettings settings = settings(Map.of());

        assertThat(settings.maxChatsPerSocket(), is(1000));
        assertThat(settings.maxPresenceSubscriptionsPerSocket(), is(5000));
        assertThat(settings.maxSocketsPerUser(), is(100));
    }

    @Test
    void theCapsComeFromTheEnvironment() {
        GatewaySettings settings = settings(Map.of("MAX_CHATS_PER_SOCKET", "3", "MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET", "4",
                                                   "MAX_SOCKETS_PER_USER", "5"));

        assertThat(settings.maxChatsPerSocket(), is(3));
        assertThat(settings.maxPresenceSubscriptionsPerSocket(), is(4));
        assertThat(settings.maxSocketsPerUser(), is(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MAX_CHATS_PER_SOCKET", "MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET", "MAX_SOCKETS_PER_USER"})
    void aCapBelowOneIsRefusedNamingTheVariable(String variable) {
        StartupException refused = assertThrows(StartupException.class, () -> settings(Map.of(variable, "0")));

        assertThat(refused.getMessage(), containsString(variable));
    }

    @Test
    void withoutEnvironmentNoJwtKeyIsConfigured() {
        GatewaySettings.JwtSettings jwt = settings(Map.of()).jwt();

        assertThat(jwt, is(new GatewaySettings.JwtSettings(Optional.empty(), Optional.empty(), Optional.empty(),
                                                           Optional.empty())));
    }

    @Test
    void withoutNodeIdTheNodeIdIsTheHostNameWithARandomSuffix() {
        String first = settings(Map.of()).nodeId();
        String second = settings(Map.of()).nodeId();

        assertThat(first.matches(".+-[0-9a-f]{6}"), is(true));
        assertThat(first.equals(second), is(false));
    }

    @Test
    void theNodeIdComesFromTheEnvironment() {
        assertThat(settings(Map.of("GATEWAY_NODE_ID", "node-7")).nodeId(), is("node-7"));
    }

    @Test
    void theEnvironmentOverridesTheDefaults() {
        Map<String, String> environment = new HashMap<>();
        environment.put("REDIS_URL", "rediss://cache:6380");
        environment.put("JWT_SECRET", "s");
        environment.put("JWT_ISSUER", "https://auth.example");
        environment.put("HEARTBEAT_INTERVAL_SECONDS", "10");
        environment.put("PRESENCE_TTL_SECONDS", "30");
        environment.put("MAX_FRAME_BYTES", "1024");
        environment.put("RATE_LIMIT_PER_SECOND", "5");
        environment.put("OUTBOUND_QUEUE_FRAMES", "16");
        environment.put("GATEWAY_DEV_MODE", "true");

        GatewaySettings settings = settings(environment);

        assertThat(settings.redisUrl(), is("rediss://cache:6380"));
        assertThat(settings.redisUrlSet(), is(true));
        assertThat(settings.jwt().secret(), is(Optional.of("s")));
        assertThat(settings.jwt().issuer(), is(Optional.of("https://auth.example")));
        assertThat(settings.heartbeatInterval(), is(Duration.ofSeconds(10)));
        assertThat(settings.presenceTtl(), is(Duration.ofSeconds(30)));
        assertThat(settings.maxMessageBytes(), is(1024));
        assertThat(settings.rateLimitPerSecond(), is(5));
        assertThat(settings.outboundQueueFrames(), is(16));
        assertThat(settings.devMode(), is(true));
    }

    @Test
    void frontendUrlIsACommaSeparatedListOfOrigins() {
        GatewaySettings settings = settings(Map.of("FRONTEND_URL", " https://a.example, https://b.example:8443 ,,"));

        assertThat(settings.allowedOrigins(), is(List.of("https://a.example", "https://b.example:8443")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEARTBEAT_INTERVAL_SECONDS", "PRESENCE_TTL_SECONDS", "MAX_FRAME_BYTES", "RATE_LIMIT_PER_SECOND",
            "OUTBOUND_QUEUE_FRAMES", "NODE_HEARTBEAT_SECONDS", "NODE_TTL_SECONDS", "REDIS_TIMEOUT_MILLIS", "REDIS_POOL_SIZE"})
    void aNonNumericValueIsRefusedWithAOneLineReason(String variable) {
        StartupException e = assertThrows(StartupException.class, () -> settings(Map.of(variable, "fast")));

        assertThat(e.getMessage(), not(containsString("\n")));
        assertThat(e.getMessage(), containsString("must be a positive integer, got 'fast'"));
        assertThat(e.getCause(), is((Throwable) null));
    }

    @Test
    void theRefusalNamesTheSettingAndTheValue() {
        StartupException e = assertThrows(StartupException.class, () -> settings(Map.of("RATE_LIMIT_PER_SECOND", "fast")));

        assertThat(e.getMessage(), is("RATE_LIMIT_PER_SECOND must be a positive integer, got 'fast'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1.5", "99999999999"})
    void aValueThatIsNotAPositiveIntegerIsRefused(String value) {
        assertThrows(StartupException.class, () -> settings(Map.of("MAX_FRAME_BYTES", value)));
    }

    @Test
    void surroundingSpacesAroundANumberAreAccepted() {
        assertThat(settings(Map.of("RATE_LIMIT_PER_SECOND", " 20 ")).rateLimitPerSecond(), is(20));
    }

    @ParameterizedTest
    @CsvSource({"all, ALL", "ALL, ALL", "All, ALL", "interested, INTERESTED", "INTERESTED, INTERESTED", "' all ', ALL"})
    void presenceNotifyIsReadCaseInsensitively(String value, PresenceNotify expected) {
        assertThat(settings(Map.of("PRESENCE_NOTIFY", value)).presenceNotify(), is(expected));
    }

    @ParameterizedTest
    @CsvSource({"open, OPEN", "OPEN, OPEN", "redis, REDIS", "Redis, REDIS", "REDIS, REDIS"})
    void chatMembershipIsReadCaseInsensitively(String value, ChatMembership expected) {
        assertThat(settings(Map.of("CHAT_MEMBERSHIP", value)).chatMembership(), is(expected));
    }

    @Test
    void anUnknownPresenceNotifyIsRefusedWithTheChoices() {
        StartupException e = assertThrows(StartupException.class, () -> settings(Map.of("PRESENCE_NOTIFY", "everyone")));

        assertThat(e.getMessage(), is("PRESENCE_NOTIFY must be one of [interested, all], got 'everyone'"));
    }

    @Test
    void anUnknownChatMembershipIsRefusedWithTheChoices() {
        StartupException e = assertThrows(StartupException.class, () -> settings(Map.of("CHAT_MEMBERSHIP", "closed")));

        assertThat(e.getMessage(), is("CHAT_MEMBERSHIP must be one of [open, redis], got 'closed'"));
    }

    @Test
    void withoutEnvironmentTheEventStreamIsOnWithTheContractsLength() {
        assertThat(settings(Map.of()).events(), is(new EventStream(true, 100_000)));
    }

    @Test
    void eventsOffAndItsLengthComeFromTheEnvironment() {
        assertThat(settings(Map.of("EVENTS", "off", "EVENTS_MAXLEN", "5000")).events(), is(new EventStream(false, 5000)));
        assertThat(settings(Map.of("EVENTS", "ON")).events().enabled(), is(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "many", "1.5"})
    void anEventsMaxlenThatIsNotAPositiveIntegerIsRefused(String value) {
        StartupException e = assertThrows(StartupException.class, () -> settings(Map.of("EVENTS_MAXLEN", value)));

        assertThat(e.getMessage(), is("EVENTS_MAXLEN must be a positive integer, got '" + value + "'"));
    }

    @Test
    void anUnknownEventsValueIsRefusedWithTheChoices() {
        StartupException e = assertThrows(StartupException.class, () -> settings(Map.of("EVENTS", "sometimes")));

        assertThat(e.getMessage(), is("EVENTS must be on or off, got 'sometimes'"));
    }

    @Test
    void aNodeTtlNotLongerThanTheNodeHeartbeatIsRefused() {
        StartupException e = assertThrows(StartupException.class,
                                          () -> settings(Map.of("NODE_HEARTBEAT_SECONDS", "15", "NODE_TTL_SECONDS", "15")));

        assertThat(e.getMessage(), is("NODE_TTL_SECONDS must be larger than NODE_HEARTBEAT_SECONDS"));
    }

    private static GatewaySettings settings(Map<String, String> environment) {
        return GatewaySettings.create(EnvironmentAliases.load(environment).get("gateway"));
    }
}
