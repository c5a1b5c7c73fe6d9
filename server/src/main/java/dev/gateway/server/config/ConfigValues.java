package dev.gateway.server.config;

import io.helidon.config.Config;

/**
 * Reading of the numbers every settings record shares. Defaults live in {@code application.yaml}, beside each key,
 * so a key is always present; a bad value stops the start with the environment variable named.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /**
     * The positive integer at {@code key} under {@code node}.
     *
     * @throws StartupException when it is not one
     */
    public static int positive(Config node, String key) {
        String raw = node.get(key).asString().get().trim();
        try {
            int value = Integer.parseInt(raw);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StartupException(EnvironmentAliases.variableFor(key) + " must be a positive integer, got '" + raw + "'");
    }
}
