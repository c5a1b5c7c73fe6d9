package dev.gateway.server.websocket;

import java.util.Optional;

import io.helidon.http.HttpPrologue;

/**
 * Carries a refusal decided in {@code onHttpUpgrade} to the HTTP route that answers it. Helidon hands a refused
 * upgrade to HTTP routing on the same connection thread, right after {@code onHttpUpgrade}, with the same prologue
 * object; the route then answers what the listener decided instead of deciding again, which matters for a refusal
 * that only the registration could decide (the per-user socket cap is counted by the registration script).
 */
final class UpgradeRefusals {
    private final ThreadLocal<Decided> decided = new ThreadLocal<>();

    private record Decided(HttpPrologue prologue, Handshake.Refused refused) {
    }

    void remember(HttpPrologue prologue, Handshake.Refused refused) {
        decided.set(new Decided(prologue, refused));
    }

    /** The refusal remembered for this request, if any; forgets whatever was remembered on this thread. */
    Optional<Handshake.Refused> take(HttpPrologue prologue) {
        Decided last = decided.get();
        decided.remove();
        return last != null && last.prologue() == prologue ? Optional.of(last.refused()) : Optional.empty();
    }
}
