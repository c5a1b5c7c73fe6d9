package dev.gateway.server.client;

import java.util.Optional;

/**
 * Joins the fragments of one WebSocket text message and enforces the message size cap across them (Helidon bounds
 * only single frames). Not thread-safe: fragments arrive on the connection's one reader thread.
 */
public final class MessageAssembler {
    private final int maxBytes;
    private final StringBuilder partial = new StringBuilder();
    private int partialBytes;

    public MessageAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Thrown when a message grows past the cap; the socket is closed 1009. */
    public static final class TooBigException extends Exception {
        TooBigException() {
            super("message larger than the limit", null, false, false);
        }
    }

    /**
     * Adds a fragment.
     *
     * @return the whole message when {@code last}, else empty
     */
    public Optional<String> add(String fragment, boolean last) throws TooBigException {
        partialBytes += utf8Length(fragment);
        if (partialBytes > maxBytes) {
            partial.setLength(0);
            partialBytes = 0;
            throw new TooBigException();
        }
        if (last && partial.isEmpty()) {
            partialBytes = 0;
            return Optional.of(fragment);
        }
        partial.append(fragment);
        if (!last) {
            return Optional.empty();
        }
        String message = partial.toString();
        partial.setLength(0);
        partialBytes = 0;
        return Optional.of(message);
    }

    /** Counts the binary fragments of one message against the same cap. */
    public boolean addBinary(int bytes, boolean last) throws TooBigException {
        partialBytes += bytes;
        if (partialBytes > maxBytes) {
            partialBytes = 0;
            throw new TooBigException();
        }
        if (last) {
            partialBytes = 0;
        }
        return last;
    }

    static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
