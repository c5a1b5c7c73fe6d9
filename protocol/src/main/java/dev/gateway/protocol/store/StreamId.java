package dev.gateway.protocol.store;

/**
 * A Redis stream entry id ({@code <millis>-<sequence>}), such as a chat message's id; ordered as Redis orders them.
 *
 * @param millis   the milliseconds part
 * @param sequence the sequence number within that millisecond
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {
    /** Before every entry: a stream read after it starts at the first entry. */
    public static final StreamId ZERO = new StreamId(0, 0);

    /**
     * Parses {@code <millis>-<sequence>} (both unsigned decimal, as Redis writes them).
     *
     * @throws IllegalArgumentException when it is not a stream id
     */
    public static StreamId parse(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1) {
            throw new IllegalArgumentException("not a stream id: " + id);
        }
        return new StreamId(digits(id, 0, dash), digits(id, dash + 1, id.length()));
    }

    private static long digits(String text, int from, int to) {
        long value = 0;
        try {
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("not a stream id: " + text);
                }
                value = Math.addExact(Math.multiplyExact(value, 10), c - '0');
            }
        } catch (ArithmeticException e) {
            // ids past 2^63 exist only in theory (Redis takes the milliseconds from its clock)
            throw new IllegalArgumentException("stream id out of range: " + text);
        }
        return value;
    }

    public boolean isAfter(StreamId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(StreamId other) {
        int byMillis = Long.compare(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
