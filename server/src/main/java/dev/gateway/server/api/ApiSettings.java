package dev.gateway.server.api;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.gateway.protocol.auth.DevelopmentMode;
import dev.gateway.server.config.StartupException;

import io.helidon.config.Config;

/**
 * Settings of the server API and the admin page (PROTOCOL sections 1, 9 and 11), from {@code gateway.api}.
 *
 * @param key            the API key; empty turns the API and the admin page off (both answer 404)
 * @param developmentKey whether {@code key} is the fixed development key ({@code GATEWAY_API_KEY} unset in
 *                       development mode)
 * @param port           serve the API and the admin page only on this port ({@code API_PORT}; 0 picks one), never on
 *                       {@code PORT}; empty serves them on {@code PORT}
 * @param host           the address the {@code API_PORT} listener binds, {@code HOST}'s as for {@code PORT}
 */
public record ApiSettings(Optional<String> key, boolean developmentKey, Optional<Integer> port, String host) {
    /** Shorter keys are guessable; the same floor as {@code JWT_SECRET}'s. */
    static final int MIN_KEY_BYTES = 32;

    public boolean enabled() {
        return key.isPresent();
    }

    /**
     * @param config the whole configuration ({@code gateway.api}, {@code server.host})
     * @throws StartupException for a key shorter than 32 bytes or a port that is not one
     */
    public static ApiSettings create(Config config, boolean devMode) {
        Config gateway = config.get("gateway");
        Optional<String> key = text(gateway.get("api.key"));
        if (key.isPresent() && key.get().getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw new StartupException("GATEWAY_API_KEY must be at least " + MIN_KEY_BYTES + " bytes");
        }
        boolean developmentKey = key.isEmpty() && devMode;
        Optional<Integer> port = text(gateway.get("api.port")).map(ApiSettings::port);
        return new ApiSettings(developmentKey ? Optional.of(DevelopmentMode.API_KEY) : key, developmentKey, port,
                               config.get("server.host").asString().orElse("0.0.0.0"));
    }

    private static int port(String raw) {
        try {
            int port = Integer.parseInt(raw);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StartupException("API_PORT must be a port number (0..65535), got '" + raw + "'");
    }

    private static Optional<String> text(Config node) {
        return node.asString().asOptional().map(String::trim).filter(s -> !s.isEmpty());
    }
}
