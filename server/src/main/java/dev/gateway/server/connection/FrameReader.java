package dev.gateway.server.connection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.helidon.common.buffers.DataReader;

import static dev.gateway.server.connection.ProtocolViolation.INVALID_PAYLOAD;
import static dev.gateway.server.connection.ProtocolViolation.PROTOCOL_ERROR;
import static dev.gateway.server.connection.ProtocolViolation.TOO_BIG;

/**
 * Reads client frames off one connection and checks each against RFC 6455 section 5 before anything reaches a
 * listener: RSV bits (no extension is negotiated), reserved opcodes, masking, control frames (at most 125 bytes,
 * never fragmented), the order of fragments, close payloads (RFC 6455 7.4 codes, UTF-8 reason), UTF-8 of text
 * messages across fragments, and the size caps (one frame, and one message however it is fragmented). Not
 * thread-safe: one reader thread per connection.
 * <p>
 * Between messages it holds no buffers: the state of a fragmented message is three numbers and, only while a
 * character is split across two fragments, up to three bytes of it.
 * <pre>
 *   no message ──text/binary, !fin──► in a message ──continuation, fin──► no message
 *       │ text/binary, fin: whole message          │ control frames may come between fragments
 *   any violation ──► discarding: only the peer's close is looked for; data frames are skipped unread
 * </pre>
 */
final class FrameReader {
    /** The code a close frame without a status code stands for (RFC 6455 7.1.5); never sent on the wire. */
    static final int NO_STATUS = 1005;

    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int MASK_BYTES = 4;
    private static final int SKIP_CHUNK = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final DataReader reader;
    private final SocketReadBuffer readBuffer;
    private final int maxFrameBytes;
    private final int maxMessageBytes;
    private int messageOpcode = CONTINUATION; // CONTINUATION: no message in flight
    private long messageBytes;
    private int utf8 = Utf8Validator.COMPLETE;
    private byte[] splitCharacter; // only while a character is split across fragments
    private long unread; // the rest of a refused frame, skipped before the next one
    private boolean discarding;

    /**
     * @param reader          the connection's reader (it may already hold bytes that came after the upgrade request)
     * @param readBuffer      the buffer its socket reads into, sized here to the frame being read
     * @param maxFrameBytes   largest single frame payload
     * @param maxMessageBytes largest message, summed over its fragments
     */
    FrameReader(DataReader reader, SocketReadBuffer readBuffer, int maxFrameBytes, int maxMessageBytes) {
        this.reader = reader;
        this.readBuffer = readBuffer;
        this.maxFrameBytes = maxFrameBytes;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Blocks until the next frame has arrived whole, then checks it.
     *
     * @throws ProtocolViolation when the frame breaks the RFC or a cap; call {@link #discard()} and go on reading
     *                           only to wait for the peer's close
     * @throws DataReader.InsufficientDataAvailableException when the peer closed TCP (other runtime exceptions
     *                           when the socket failed)
     */
    InboundFrame next() throws ProtocolViolation {
        while (true) {
            skipUnread();
            InboundFrame frame = frame(reader.read() & 0xFF);
            if (frame != null) {
                return frame;
            }
        }
    }

    /**
     * Skips what is left of a refused frame, then sizes the socket's buffer for waiting. Before reading the first
     * byte of the next frame (which the connection reads itself, so that it waits for it in as shallow a stack as
     * Helidon allows).
     */
    void skipUnread() {
        if (unread > 0) {
            readBuffer.expect(unread - reader.available());
        }
        while (unread > 0) {
            int chunk = (int) Math.min(unread, SKIP_CHUNK);
            reader.skip(chunk);
            unread -= chunk;
        }
        readBuffer.idle();
    }

    /**
     * Reads and checks the rest of the frame whose first byte is {@code first}.
     *
     * @return the frame; null for a frame skipped while discarding
     */
    InboundFrame frame(int first) throws ProtocolViolation {
        int second = reader.read() & 0xFF;
        boolean fin = (first & 0x80) != 0;
        int opcode = first & 0x0F;
        boolean control = (opcode & 0x08) != 0;
        boolean masked = (second & 0x80) != 0;
        int shortLength = second & 0x7F;
        long length = shortLength == 126 ? readUnsigned(2) : shortLength == 127 ? readUnsigned(8) : shortLength;
        // a frame refused below is skipped unread, so that the peer's close after it can still be found
        unread = length < 0 ? 0 : (masked ? MASK_BYTES : 0) + length;
        if ((first & 0x70) != 0) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "reserved bits set");
        }
        if (control ? opcode > PONG : opcode > BINARY) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "reserved opcode");
        }
        if (!masked) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "unmasked client frame");
        }
        if (control && !fin) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "fragmented control frame");
        }
        if (control && length > MAX_CONTROL_PAYLOAD) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "control frame over 125 bytes");
        }
        if (length < 0) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "frame length over 2^63");
        }
        if (discarding) {
            if (opcode == CLOSE) {
                unread = 0;
                readPayload((int) length);
                return new InboundFrame.Close(NO_STATUS, "");
            }
            return null;
        }
        if (!control) {
            checkSequence(opcode, length);
        }
        unread = 0;
        byte[] payload = readPayload((int) length);
        return switch (opcode) {
            case CLOSE -> close(payload);
            case PING -> new InboundFrame.Ping(payload);
            case PONG -> new InboundFrame.Pong(payload);
            default -> data(opcode, payload, fin);
        };
    }

    /**
     * After a violation (or the server's own close): forget the message in flight and, from now on, skip data frames
     * unread and return only the peer's close.
     */
    void discard() {
        discarding = true;
        messageOpcode = CONTINUATION;
        splitCharacter = null;
    }

    /** True when a close reason or status code may be sent in a close frame (RFC 6455 7.4.1, IANA registry). */
    static boolean isValidCloseCode(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private void checkSequence(int opcode, long length) throws ProtocolViolation {
        if (opcode == CONTINUATION && messageOpcode == CONTINUATION) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "continuation frame without a message");
        }
        if (opcode != CONTINUATION && messageOpcode != CONTINUATION) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "data frame inside a fragmented message");
        }
        long total = (opcode == CONTINUATION ? messageBytes : 0) + length;
        if (length > maxFrameBytes || total > maxMessageBytes) {
            throw new ProtocolViolation(TOO_BIG, "message too big");
        }
    }

    private InboundFrame data(int opcode, byte[] payload, boolean fin) throws ProtocolViolation {
        if (opcode != CONTINUATION) {
            messageOpcode = opcode;
            messageBytes = 0;
        }
        messageBytes += payload.length;
        boolean text = messageOpcode == TEXT;
        if (fin) {
            messageOpcode = CONTINUATION;
        }
        return text ? text(payload, fin) : new InboundFrame.Binary(payload, fin);
    }

    private InboundFrame text(byte[] payload, boolean fin) throws ProtocolViolation {
        int state = Utf8Validator.scan(utf8, payload, 0, payload.length);
        if (state == Utf8Validator.INVALID) {
            throw new ProtocolViolation(INVALID_PAYLOAD, "invalid UTF-8");
        }
        if (fin && state != Utf8Validator.COMPLETE) {
            throw new ProtocolViolation(INVALID_PAYLOAD, "invalid UTF-8: message ends inside a character");
        }
        byte[] bytes = payload;
        if (splitCharacter != null) {
            bytes = new byte[splitCharacter.length + payload.length];
            System.arraycopy(splitCharacter, 0, bytes, 0, splitCharacter.length);
            System.arraycopy(payload, 0, bytes, splitCharacter.length, payload.length);
            splitCharacter = null;
        }
        int tail = state == Utf8Validator.COMPLETE ? 0 : Utf8Validator.incompleteTail(bytes, bytes.length);
        if (tail > 0) {
            splitCharacter = Arrays.copyOfRange(bytes, bytes.length - tail, bytes.length);
        }
        utf8 = fin ? Utf8Validator.COMPLETE : state;
        // every byte before the tail is validated UTF-8, so the JDK's fast decoding replaces nothing
        return new InboundFrame.Text(new String(bytes, 0, bytes.length - tail, StandardCharsets.UTF_8), fin);
    }

    private static InboundFrame close(byte[] payload) throws ProtocolViolation {
        if (payload.length == 0) {
            return new InboundFrame.Close(NO_STATUS, "");
        }
        if (payload.length == 1) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "close payload of 1 byte");
        }
        int code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        if (!isValidCloseCode(code)) {
            throw new ProtocolViolation(PROTOCOL_ERROR, "invalid close code");
        }
        if (Utf8Validator.scan(Utf8Validator.COMPLETE, payload, 2, payload.length) != Utf8Validator.COMPLETE) {
            throw new ProtocolViolation(INVALID_PAYLOAD, "close reason is not UTF-8");
        }
        return new InboundFrame.Close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /** The masking key, then the payload unmasked in place. Length is within the caps (or 125 for control frames). */
    private byte[] readPayload(int length) {
        int mask = (int) readUnsigned(MASK_BYTES);
        if (length == 0) {
            return EMPTY; // DataReader.readBytes(0) would wait for a byte that may never come
        }
        readBuffer.expect((long) length - reader.available());
        byte[] payload = reader.readBytes(length);
        for (int i = 0; i < length; i++) {
            payload[i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
        }
        return payload;
    }

    private long readUnsigned(int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = value << 8 | reader.read() & 0xFF;
        }
        return value;
    }
}
