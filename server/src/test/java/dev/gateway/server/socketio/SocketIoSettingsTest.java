package dev.gateway.server.socketio;

import java.time.Duration;
import java.util.Map;

import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.server.config.GatewaySettings;
import dev.gateway.server.config.StartupException;
import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SocketIoSettingsTest {
    private static SocketIoSettings settings(Map<String, String> environment) {
        Config gateway = EnvironmentAliases.load(environment).get("gateway");
        return SocketIoSettings.create(gateway, GatewaySettings.create(gateway));
    }

    @Test
    void theDefaultsAreSocketIosOwn() {
        SocketIoSettings defaults = settings(Map.of());

        assertThat(defaults.pingInterval(), is(Duration.ofMillis(25_000)));
        assertThat(defaults.pingTimeout(), is(Duration.ofMillis(20_000)));
        assertThat(defaults.connectTimeout(), is(Duration.ofMillis(45_000)));
        assertThat(defaults.maxPayload(), is(65_536));
    }

    @Test
    void theEnvironmentSetsTheConnectTimeoutAndMaxPayload() {
        SocketIoSettings configured = settings(Map.of("SOCKETIO_CONNECT_TIMEOUT_MILLIS", "1500", "MAX_FRAME_BYTES", "1000000"));

        assertThat(configured.connectTimeout(), is(Duration.ofMillis(1500)));
        assertThat(configured.maxPayload(), is(1_000_000));
    }

    @Test
    void aConnectTimeoutThatIsNotAPositiveIntegerStopsTheStartWithTheVariableNamed() {
        StartupException e = assertThrows(StartupException.class,
                                          () -> settings(Map.of("SOCKETIO_CONNECT_TIMEOUT_MILLIS", "soon")));

        assertThat(e.getMessage(), containsString("SOCKETIO_CONNECT_TIMEOUT_MILLIS must be a positive integer"));
    }
}
