package dev.gateway.server.connection;

import java.util.Optional;

import io.helidon.common.uri.UriQuery;

/**
 * Reading a request's query parameters without Helidon's {@code UriQuery.first}: that method looks Helidon's global
 * mapper manager up in its service registry on every call (to wrap the value in an {@code OptionalValue}), which was
 * about a tenth of a handshake's CPU in a connect storm (JFR, {@code run.sh connect-storm}). {@code contains} and
 * {@code get} read the same decoded map directly.
 */
public final class QueryParameters {
    private QueryParameters() {
    }

    /** The first value of the parameter, as sent (decoded). */
    public static Optional<String> first(UriQuery query, String name) {
        return query.contains(name) ? Optional.of(query.get(name)) : Optional.empty();
    }

    /** The first value of the parameter trimmed, or empty when it is absent or blank. */
    public static Optional<String> trimmed(UriQuery query, String name) {
        return first(query, name).map(String::trim).filter(value -> !value.isEmpty());
    }
}
