package dev.gateway.it.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain TCP socket, for tests about bytes on the wire (PROTOCOL section 4): a handshake
 * with any request line and headers ({@link Request}), frames of any shape ({@link WireFrame}), and a reader that
 * keeps every byte the server sent after the {@code 101}, so a test can tell a close frame from an HTTP response or
 * from a dropped connection. Every read is bounded.
 * <pre>
 *   request(node, target) ──[headers as the test wants]──► answer(): status and headers (a refusal)
 *                                                     └──► open(): 101 checked ──► send frames / next() / awaitClose()
 * </pre>
 */
public final class RawWebSocket implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream afterUpgrade = new ByteArrayOutputStream();
    private final List<Frame> received = new ArrayList<>();

    private RawWebSocket(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** A frame from the server. */
    public record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public boolean isClose() {
            return opcode == WireFrame.CLOSE;
        }

        /** The close frame's status code; 1005 when it has none. */
        public int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        @Override
        public String toString() {
            return "Frame[fin=" + fin + ", rsv=" + rsv + ", opcode=" + opcode + ", " + (isClose() ? closeCode() + " " + closeReason()
                    : payload.length + " bytes: " + text()) + "]";
        }
    }

    /** The server's answer to a handshake that was not upgraded. */
    public record Answer(int status, Map<String, String> headers, String body) {
        /** A header by name, any case. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** A valid upgrade request to {@code target} (path and query), to adjust before sending. */
    public static Request request(GatewayProcess node, String target) {
        return new Request(node.port(), target);
    }

    /** Sends a frame (one write). */
    public RawWebSocket send(WireFrame frame) {
        return sendBytes(frame.bytes());
    }

    /** Sends bytes as they are: several frames at once, or half of one. */
    public RawWebSocket sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the server closed the connection", e);
        }
        return this;
    }

    /** The next frame, or empty when the server closed TCP first; fails when neither comes within 5 s. */
    public Optional<Frame> next() {
        try {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            int first = in.read();
            if (first < 0) {
                return Optional.empty();
            }
            record(first);
            int second = readByte();
            boolean masked = (second & 0x80) != 0;
            long length = second & 0x7F;
            if (length == 126) {
                length = readByte() << 8 | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = length << 8 | readByte();
                }
            }
            byte[] mask = new byte[4];
            if (masked) {
                for (int i = 0; i < 4; i++) {
                    mask[i] = (byte) readByte();
                }
            }
            byte[] payload = new byte[(int) length];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (readByte() ^ mask[i % 4]);
            }
            Frame frame = new Frame((first & 0x80) != 0, (first >> 4) & 0x7, first & 0x0F, masked, payload);
            received.add(frame);
            return Optional.of(frame);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame and no close from the server within " + READ_TIMEOUT + "; received " + received);
        } catch (SocketException e) {
            return Optional.empty(); // reset by the server
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next text frame, skipping pings and pongs; fails on anything else. */
    public String nextText() {
        while (true) {
            Frame frame = next().orElseThrow(() -> new AssertionError("connection closed; received " + received));
            if (frame.opcode() == WireFrame.TEXT) {
                return frame.text();
            }
            if (frame.opcode() != WireFrame.PING && frame.opcode() != WireFrame.PONG) {
                throw new AssertionError("expected a text frame, got " + frame);
            }
        }
    }

    /** Reads until the server's close frame and returns it; fails when TCP ends first or nothing comes in 5 s. */
    public Frame awaitClose() {
        while (true) {
            Frame frame = next().orElseThrow(() -> new AssertionError("the connection ended without a close frame; received "
                                                                              + received));
            if (frame.isClose()) {
                return frame;
            }
        }
    }

    /**
     * Waits until the server has closed TCP, reading (and keeping) whatever comes meanwhile.
     *
     * @return how long it took
     */
    public Duration awaitEnd(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the server kept the connection open for more than " + timeout);
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int b = in.read();
                if (b < 0) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                record(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for more than " + timeout);
        } catch (SocketException e) {
            return Duration.ofNanos(System.nanoTime() - start); // reset
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every byte the server sent after the 101 response, as ISO-8859-1 text (to look for an HTTP status line). */
    public String bytesAfterUpgrade() {
        return afterUpgrade.toString(StandardCharsets.ISO_8859_1);
    }

    /** The frames read so far. */
    public List<Frame> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new SocketException("the server closed the connection inside a frame");
        }
        record(b);
        return b;
    }

    private void record(int b) {
        afterUpgrade.write(b);
    }

    /** An upgrade request; valid until a test changes it. */
    public static final class Request {
        private final int port;
        private String method = "GET";
        private String target;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];

        private Request(int port, String target) {
            this.port = port;
            this.target = target;
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            headers.put("Host", "127.0.0.1:" + port);
            headers.put("Connection", "Upgrade");
            headers.put("Upgrade", "websocket");
            headers.put("Sec-WebSocket-Version", "13");
            headers.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
        }

        public Request method(String method) {
            this.method = method;
            return this;
        }

        /** Sets (or replaces) a header. */
        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request without(String name) {
            headers.remove(name);
            return this;
        }

        /** A request body, with its Content-Length. */
        public Request body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            headers.put("Content-Length", Integer.toString(body.length));
            return this;
        }

        /** The request as bytes: request line, headers, blank line, body. */
        public byte[] bytes() {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[start.length + body.length];
            System.arraycopy(start, 0, all, 0, start.length);
            System.arraycopy(body, 0, all, start.length, body.length);
            return all;
        }

        /** Sends the request and reads the response head (and a body of known length): for refusals. */
        public Answer answer() {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(bytes());
                InputStream in = new BufferedInputStream(socket.getInputStream());
                return readAnswer(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Sends the request and expects {@code 101} with the right {@code Sec-WebSocket-Accept}. */
        public RawWebSocket open() {
            return open(new byte[0]);
        }

        /**
         * Sends the request and {@code firstBytes} (frames, say) in the same write, before the answer, and expects
         * {@code 101} as {@link #open()} does.
         */
        public RawWebSocket open(byte[] firstBytes) {
            Socket socket = connect();
            try {
                byte[] request = bytes();
                byte[] all = Arrays.copyOf(request, request.length + firstBytes.length);
                System.arraycopy(firstBytes, 0, all, request.length, firstBytes.length);
                socket.getOutputStream().write(all);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                Answer answer = readAnswer(in);
                if (answer.status() != 101) {
                    socket.close();
                    throw new AssertionError("expected 101, got " + answer);
                }
                String accept = answer.header("Sec-WebSocket-Accept").orElse("");
                if (!accept.equals(acceptFor(headers.get("Sec-WebSocket-Key")))) {
                    socket.close();
                    throw new AssertionError("wrong Sec-WebSocket-Accept in " + answer);
                }
                return new RawWebSocket(socket, in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Sends only the first {@code bytes} of the request and leaves the connection open: a half handshake. */
        public Socket sendPartially(int bytes) {
            Socket socket = connect();
            try {
                byte[] all = bytes();
                socket.getOutputStream().write(all, 0, Math.min(bytes, all.length));
                socket.getOutputStream().flush();
                return socket;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Socket connect() {
            try {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot connect to port " + port, e);
            }
        }

        private static Answer readAnswer(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int lastFour = 0;
            try {
                while (lastFour != 0x0D0A0D0A) { // CR LF CR LF: the end of the head
                    int b = in.read();
                    if (b < 0) {
                        throw new AssertionError("the server closed the connection before a complete response: "
                                                         + head.toString(StandardCharsets.ISO_8859_1));
                    }
                    head.write(b);
                    lastFour = lastFour << 8 | b;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no response within " + READ_TIMEOUT + ": " + head.toString(StandardCharsets.ISO_8859_1));
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String body = "";
            if (status != 101 && headers.containsKey("content-length")) {
                byte[] bytes = in.readNBytes(Integer.parseInt(headers.get("content-length")));
                body = new String(bytes, StandardCharsets.UTF_8);
            }
            return new Answer(status, headers, body);
        }

        private static String acceptFor(String key) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
                return Base64.getEncoder().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
