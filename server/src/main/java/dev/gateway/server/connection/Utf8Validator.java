package dev.gateway.server.connection;

/**
 * UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing above U+10FFFF), validated incrementally:
 * the state after one fragment of a text message is where the next fragment continues, so a character split
 * across fragments is checked as one. The JDK's decoder would replace bad input silently ({@code new String}) or
 * needs a decoder object per connection; this needs one {@code int}.
 * <pre>
 *   COMPLETE ──lead byte──► expecting 1..3 continuation bytes (with the narrower second-byte ranges of
 *      ▲                      E0, ED, F0 and F4) ──last continuation──► COMPLETE
 *      └── ASCII                       any other byte ──► INVALID (final)
 * </pre>
 */
final class Utf8Validator {
    /** Between characters: where every message must start and end. */
    static final int COMPLETE = 0;
    /** Not UTF-8; final. */
    static final int INVALID = -1;

    // the states between COMPLETE and INVALID: how many continuation bytes are missing, and for the four lead bytes
    // with a narrower second byte, which range that byte must be in
    private static final int NEED_1 = 1;
    private static final int NEED_2 = 2;
    private static final int NEED_3 = 3;
    private static final int E0_SECOND = 4; // A0..BF, then 1 more
    private static final int ED_SECOND = 5; // 80..9F (no surrogates), then 1 more
    private static final int F0_SECOND = 6; // 90..BF, then 2 more
    private static final int F4_SECOND = 7; // 80..8F (nothing above U+10FFFF), then 2 more

    private Utf8Validator() {
    }

    /**
     * Continues validation over {@code bytes[from, to)}.
     *
     * @param state {@link #COMPLETE} at the start of a message, else what the previous fragment returned
     * @return the state after the bytes: {@link #COMPLETE}, {@link #INVALID}, or a character still incomplete
     */
    static int scan(int state, byte[] bytes, int from, int to) {
        int s = state;
        for (int i = from; i < to && s != INVALID; i++) {
            int b = bytes[i];
            if (s == COMPLETE && b >= 0) {
                continue; // ASCII, the common case
            }
            s = next(s, b & 0xFF);
        }
        return s;
    }

    /**
     * How many bytes at the end of {@code bytes[0, to)} belong to a character that is not complete yet: the bytes a
     * fragment passes on to the next one. Only meaningful when {@link #scan} ended in neither {@link #COMPLETE} nor
     * {@link #INVALID} (then the character's lead byte is among the last three).
     */
    static int incompleteTail(byte[] bytes, int to) {
        for (int i = to - 1; i >= Math.max(0, to - 3); i--) {
            if ((bytes[i] & 0xC0) != 0x80) {
                return to - i;
            }
        }
        return 0;
    }

    private static int next(int state, int b) {
        return switch (state) {
            case COMPLETE -> lead(b);
            case NEED_1 -> continuation(b, 0x80, 0xBF, COMPLETE);
            case NEED_2 -> continuation(b, 0x80, 0xBF, NEED_1);
            case NEED_3 -> continuation(b, 0x80, 0xBF, NEED_2);
            case E0_SECOND -> continuation(b, 0xA0, 0xBF, NEED_1);
            case ED_SECOND -> continuation(b, 0x80, 0x9F, NEED_1);
            case F0_SECOND -> continuation(b, 0x90, 0xBF, NEED_2);
            case F4_SECOND -> continuation(b, 0x80, 0x8F, NEED_2);
            default -> INVALID;
        };
    }

    private static int lead(int b) {
        if (b < 0x80) {
            return COMPLETE;
        } else if (b >= 0xC2 && b <= 0xDF) {
            return NEED_1;
        } else if (b == 0xE0) {
            return E0_SECOND;
        } else if (b == 0xED) {
            return ED_SECOND;
        } else if (b >= 0xE1 && b <= 0xEF) {
            return NEED_2;
        } else if (b == 0xF0) {
            return F0_SECOND;
        } else if (b >= 0xF1 && b <= 0xF3) {
            return NEED_3;
        } else if (b == 0xF4) {
            return F4_SECOND;
        }
        return INVALID; // 80..C1 (continuation or overlong lead) and F5..FF
    }

    private static int continuation(int b, int low, int high, int then) {
        return b >= low && b <= high ? then : INVALID;
    }
}
