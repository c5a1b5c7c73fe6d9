package dev.gateway.protocol.store;

import java.util.Optional;

/**
 * A chat message id: the id of its stream entry, {@code <ms>-<seq>}, each part an unsigned 64-bit integer (the range
 * Redis gives stream ids). Client input that is not one is refused before it reaches Redis, which would answer with an
 * error that looks like a server failure.
 *
 * @param millis   the first part, unsigned
 * @param sequence the second part, unsigned
 */
public record MessageId(long millis, long sequence) implements Comparable<MessageId> {
    /** The smallest id: no message comes before it. */
    public static final MessageId MIN = new MessageId(0, 0);
    /** The largest id: no message comes after it. */
    public static final MessageId MAX = new MessageId(-1L, -1L);

    private static final int MAX_DIGITS = 20;

    /**
     * The id written as {@code <ms>-<seq>} in decimal; empty when it is not of that form or a part is 2^64 or more.
     * Parsed in place (no regular expression, no substring): nodes read the id of every room message they receive.
     */
    public static Optional<MessageId> parse(String text) {
        int dash = text.indexOf('-');
        if (!digits(text, 0, dash) || !digits(text, dash + 1, text.length())) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MessageId(Long.parseUnsignedLong(text, 0, dash, 10),
                                             Long.parseUnsignedLong(text, dash + 1, text.length(), 10)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean digits(String text, int from, int to) {
        if (from < 0 || to - from < 1 || to - from > MAX_DIGITS) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether this id comes after {@code other} in a stream. */
    public boolean isAfter(MessageId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(MessageId other) {
        int byMillis = Long.compareUnsigned(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    /** As Redis writes it: {@code <ms>-<seq>}, no leading zeros. */
    @Override
    public String toString() {
        return Long.toUnsignedString(millis) + "-" + Long.toUnsignedString(sequence);
    }
}
