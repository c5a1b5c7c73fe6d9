package dev.gateway.server.connection;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.server.config.StartupException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConnectionSettingsTest {

    @Test
    void theHandshakeTimeoutDefaultsToTenSeconds() {
        assertThat(settings(Map.of()).handshakeTimeout(), is(Duration.ofSeconds(10)));
    }

    @Test
    void theEnvironmentSetsBoth() {
        ConnectionSettings settings = settings(Map.of("HANDSHAKE_TIMEOUT_MILLIS", "1500", "MAX_CONNECTIONS", "40"));

        assertThat(settings.handshakeTimeout(), is(Duration.ofMillis(1500)));
        assertThat(settings.maxConnections(), is(40));
    }

    @Test
    void theDefaultCapIsTheFileLimitMinusTheReserve() {
        assertThat(ConnectionSettings.fromFileLimit(OptionalLong.of(20_000), 32), is(20_000 - 256 - 32));
    }

    @Test
    void aSmallFileLimitKeepsAtLeastHalfOfIt() {
        assertThat(ConnectionSettings.fromFileLimit(OptionalLong.of(400), 32), is(200));
    }

    @Test
    void anUnknownFileLimitLeavesConnectionsUncapped() {
        assertThat(ConnectionSettings.fromFileLimit(OptionalLong.empty(), 32), is(Integer.MAX_VALUE));
    }

    @Test
    void withoutMaxConnectionsTheCapComesFromThisProcesssFileLimit() {
        ConnectionSettings settings = settings(Map.of());

        assertThat(settings.maxConnections(), is(ConnectionSettings.fromFileLimit(ConnectionSettings.fileLimit(), 32)));
    }

    @Test
    void aHandshakeTimeoutBelowOneIsRefusedNamingTheVariable() {
        StartupException refused = assertThrows(StartupException.class, () -> settings(Map.of("HANDSHAKE_TIMEOUT_MILLIS", "0")));

        assertThat(refused.getMessage(), containsString("HANDSHAKE_TIMEOUT_MILLIS"));
    }

    @Test
    void aMaxConnectionsThatIsNotANumberIsRefusedNamingTheVariable() {
        StartupException refused = assertThrows(StartupException.class, () -> settings(Map.of("MAX_CONNECTIONS", "lots")));

        assertThat(refused.getMessage(), containsString("MAX_CONNECTIONS"));
    }

    private static ConnectionSettings settings(Map<String, String> environment) {
        return ConnectionSettings.create(EnvironmentAliases.load(environment).get("gateway"), 32);
    }
}
