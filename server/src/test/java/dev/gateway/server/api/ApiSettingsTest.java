package dev.gateway.server.api;

import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.auth.DevelopmentMode;
import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.server.config.StartupException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiSettingsTest {
    private static final String KEY = "a-server-api-key-of-at-least-32-bytes";

    private static ApiSettings settings(Map<String, String> env, boolean devMode) {
        return ApiSettings.create(EnvironmentAliases.load(env), devMode);
    }

    @Test
    void withoutAKeyTheApiIsOff() {
        ApiSettings settings = settings(Map.of(), false);
        assertThat(settings.enabled(), is(false));
        assertThat(settings.port(), is(Optional.empty()));
    }

    @Test
    void aKeyTurnsItOnOnPortOrOnApiPort() {
        assertThat(settings(Map.of("GATEWAY_API_KEY", KEY), false).key(), is(Optional.of(KEY)));
        ApiSettings separate = settings(Map.of("GATEWAY_API_KEY", KEY, "API_PORT", "9090", "HOST", "127.0.0.1"), false);
        assertThat(separate.port(), is(Optional.of(9090)));
        assertThat(separate.host(), is("127.0.0.1"));
        assertThat(separate.developmentKey(), is(false));
    }

    @Test
    void developmentModeFallsBackToTheFixedKey() {
        ApiSettings settings = settings(Map.of(), true);
        assertThat(settings.key(), is(Optional.of(DevelopmentMode.API_KEY)));
        assertThat(settings.developmentKey(), is(true));
        assertThat(settings(Map.of("GATEWAY_API_KEY", KEY), true).developmentKey(), is(false));
        assertThat(DevelopmentMode.API_KEY.length() >= ApiSettings.MIN_KEY_BYTES, is(true));
    }

    @Test
    void aShortKeyOrABadPortIsRefused() {
        StartupException shortKey = assertThrows(StartupException.class,
                                                 () -> settings(Map.of("GATEWAY_API_KEY", "x".repeat(31)), false));
        assertThat(shortKey.getMessage(), containsString("GATEWAY_API_KEY must be at least 32 bytes"));
        assertThat(shortKey.getMessage().contains("xxxx"), is(false));
        assertThrows(StartupException.class, () -> settings(Map.of("GATEWAY_API_KEY", KEY, "API_PORT", "http"), false));
        assertThrows(StartupException.class, () -> settings(Map.of("GATEWAY_API_KEY", KEY, "API_PORT", "70000"), false));
    }
}
