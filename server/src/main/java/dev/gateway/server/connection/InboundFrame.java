package dev.gateway.server.connection;

/**
 * A client frame that passed every RFC 6455 check ({@link FrameReader}), unmasked. Text arrives as whole
 * characters: a character split across fragments is in the fragment where it ends.
 */
sealed interface InboundFrame {

    /** A fragment of a text message ({@code last}: the final one). */
    record Text(String text, boolean last) implements InboundFrame {
    }

    /** A fragment of a binary message. */
    record Binary(byte[] data, boolean last) implements InboundFrame {
    }

    record Ping(byte[] payload) implements InboundFrame {
    }

    record Pong(byte[] payload) implements InboundFrame {
    }

    /**
     * The peer's close frame.
     *
     * @param code   its status code, or 1005 ({@link FrameReader#NO_STATUS}) when it carried none
     * @param reason its reason, empty when none
     */
    record Close(int code, String reason) implements InboundFrame {
        boolean hasCode() {
            return code != FrameReader.NO_STATUS;
        }
    }
}
