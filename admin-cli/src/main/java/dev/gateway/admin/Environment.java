package dev.gateway.admin;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What gatewayctl reads besides its arguments: environment variables ({@code REDIS_URL}, {@code JWT_SECRET}, ...)
 * and the clock. Tests pass their own instead of the process's.
 */
public record Environment(Map<String, String> variables, Clock clock) {
    public static Environment system() {
        return new Environment(System.getenv(), Clock.systemUTC());
    }

    /** The variable's value; empty when unset or blank, as shells often export empty values. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }
}
