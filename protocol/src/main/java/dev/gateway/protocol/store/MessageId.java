package dev.gateway.protocol.store;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern FORM = Pattern.compile("(\\d{1,20})-(\\d{1,20})");

    /** The id written as {@code <ms>-<seq>} in decimal; empty when it is not of that form or a part is 2^64 or more. */
    public static Optional<MessageId> parse(String text) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MessageId(Long.parseUnsignedLong(matcher.group(1)), Long.parseUnsignedLong(matcher.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
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
