package dev.gateway.server.client;

import java.util.Optional;

/**
 * Joins the fragments of one WebSocket text message. The connection has checked them already (UTF-8, whole
 * characters per fragment, the message size cap across fragments), so this only concatenates, and holds nothing
 * between messages. Not thread-safe: fragments arrive on the connection's one reader thread.
 */
public final class MessageAssembler {
    private StringBuilder partial; // only while a fragmented message is in flight

    /**
     * Adds a fragment.
     *
     * @return the whole message when {@code last}, else empty
     */
    public Optional<String> add(String fragment, boolean last) {
        if (partial == null) {
            if (last) {
                return Optional.of(fragment);
            }
            partial = new StringBuilder(fragment);
            return Optional.empty();
        }
        partial.append(fragment);
        if (!last) {
            return Optional.empty();
        }
        String message = partial.toString();
        partial = null;
        return Optional.of(message);
    }
}
