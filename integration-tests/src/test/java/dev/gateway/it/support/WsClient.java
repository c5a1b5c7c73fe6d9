package dev.gateway.it.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.Poll;

/**
 * A native-protocol client (PROTOCOL sections 2 to 4) on the JDK's {@link WebSocket}.
 * <p>
 * Every text message received is kept, in order, as a {@link Frame}. {@link #awaitEvent} takes the first frame of an
 * event that no earlier await took, so a test can wait for frames in any order without losing the others, and
 * {@link #assertNoEvent} sees only frames nobody took. Every wait is bounded.
 * <pre>
 *   open ──(close frame from server, or abort/TCP drop)──► closed: awaitClose() gives the code and reason
 * </pre>
 */
public final class WsClient implements AutoCloseable {
    /** How long a request waits for its ack (PROTOCOL: acks are prompt). */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    /** Close code reported when the connection ended without a close frame (RFC 6455 1006). */
    public static final int ABNORMAL_CLOSURE = 1006;

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition newFrame = lock.newCondition();
    private final List<Frame> frames = new ArrayList<>();
    private final Set<Frame> taken = Collections.newSetFromMap(new IdentityHashMap<>());
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final AtomicLong ackIds = new AtomicLong();
    private final AtomicLong pongs = new AtomicLong();
    private final Object sendLock = new Object();
    private volatile WebSocket socket;
    private volatile boolean paused;
    private volatile boolean demandOwed;
    private volatile Thread pinger;
    private JsonNode connected;

    private WsClient(String name) {
        this.name = name;
    }

    /** Starts describing a connection to {@code node}'s {@code /ws}. */
    public static Handshake to(GatewayProcess node) {
        return new Handshake(node.wsUri());
    }

    public static Handshake to(URI uri) {
        return new Handshake(uri);
    }

    /** One received text message. {@code json} is {@link MissingNode} when the server sent something that is not JSON. */
    public record Frame(String text, JsonNode json, Instant receivedAt) {
        public String event() {
            return json.path("event").asText(null);
        }

        public JsonNode data() {
            return json.path("data");
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The close frame the client received; {@link #ABNORMAL_CLOSURE} when the connection dropped without one. */
    public record Close(int code, String reason) {
    }

    /** An HTTP refusal of the upgrade. */
    public record Refusal(int status, String body, Map<String, List<String>> headers) {
        /** The body parsed as JSON ({@link MissingNode} when it is not JSON). */
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                return MissingNode.getInstance();
            }
        }
    }

    /** The options of one opening handshake. */
    public static final class Handshake {
        private final URI base;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> query = new LinkedHashMap<>();
        private String name = "client";

        private Handshake(URI base) {
            this.base = base;
        }

        /** {@code Authorization: Bearer token}. */
        public Handshake bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        /** The {@code access_token} query parameter. */
        public Handshake accessToken(String token) {
            return query("access_token", token);
        }

        public Handshake origin(String origin) {
            return header("Origin", origin);
        }

        public Handshake device(String deviceId) {
            return query("deviceId", deviceId);
        }

        public Handshake device(String deviceId, String deviceName) {
            return query("deviceId", deviceId).query("deviceName", deviceName);
        }

        public Handshake header(String header, String value) {
            headers.put(header, value);
            return this;
        }

        public Handshake query(String parameter, String value) {
            query.put(parameter, value);
            return this;
        }

        /** A name for diagnostics (failure messages, thread names). */
        public Handshake name(String name) {
            this.name = name;
            return this;
        }

        public URI uri() {
            if (query.isEmpty()) {
                return base;
            }
            String q = query.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
            return URI.create(base + "?" + q);
        }

        /** Opens the socket; fails the test when the server refuses the upgrade. */
        public WsClient open() {
            WsClient client = new WsClient(name);
            try {
                client.socket = start(client).get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return client;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException refused) {
                    Refusal refusal = refusal(refused);
                    throw new AssertionError(name + ": upgrade refused with " + refusal.status() + " " + refusal.body());
                }
                throw new AssertionError(name + ": cannot connect to " + uri(), e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError(name + ": no handshake answer within " + HANDSHAKE_TIMEOUT + " from " + uri());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Expects the server to refuse the upgrade, and returns its answer; fails the test when a socket opens. */
        public Refusal refusal() {
            WsClient client = new WsClient(name);
            try {
                WebSocket socket = start(client).get(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                client.socket = socket;
                Poll.sleep(200);
                List<Frame> frames = client.frames();
                socket.abort();
                throw new AssertionError(name + ": expected the upgrade to be refused, but a socket opened; frames: " + frames);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException refused) {
                    return refusal(refused);
                }
                throw new AssertionError(name + ": expected an HTTP refusal, got " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError(name + ": no handshake answer within " + HANDSHAKE_TIMEOUT + " from " + uri());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private CompletableFuture<WebSocket> start(WsClient client) {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(HANDSHAKE_TIMEOUT);
            headers.forEach(builder::header);
            return builder.buildAsync(uri(), client.new Listener());
        }

        private static Refusal refusal(WebSocketHandshakeException refused) {
            HttpResponse<?> response = refused.getResponse();
            Object body = response.body();
            String text = switch (body) {
                case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
                case String string -> string;
                case null -> "";
                default -> body.toString();
            };
            return new Refusal(response.statusCode(), text, response.headers().map());
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------- receiving

    /**
     * The {@code data} of the {@code connected} frame, the first frame of every socket (waits for it once, then
     * remembers it).
     */
    public JsonNode connected() {
        lock.lock();
        try {
            if (connected == null) {
                connected = awaitEvent("connected", Duration.ofSeconds(5));
            }
            return connected;
        } finally {
            lock.unlock();
        }
    }

    /** The socket id the server gave this socket in {@code connected}. */
    public String socketId() {
        return connected().path("socketId").asText();
    }

    /** Waits for the first untaken frame of {@code event}, takes it, and returns its {@code data}. */
    public JsonNode awaitEvent(String event, Duration timeout) {
        return awaitEvent(event, data -> true, timeout);
    }

    /** Waits for the first untaken frame of {@code event} whose {@code data} matches, takes it, and returns its data. */
    public JsonNode awaitEvent(String event, Predicate<JsonNode> data, Duration timeout) {
        return awaitFrame(f -> event.equals(f.event()) && data.test(f.data()), "event " + event, timeout).data();
    }

    /** Waits for the ack with this id, and returns its {@code data}. */
    public JsonNode awaitAck(long ackId, Duration timeout) {
        return awaitFrame(f -> "ack".equals(f.event()) && f.json().path("ack").asLong(-1) == ackId,
                          "ack " + ackId, timeout).data();
    }

    /** Fails when an untaken frame of {@code event} arrives within {@code duration} (or has already arrived). */
    public void assertNoEvent(String event, Duration duration) {
        assertNoEvent(event, data -> true, duration);
    }

    /** Fails when an untaken frame of {@code event} whose data matches arrives within {@code duration}. */
    public void assertNoEvent(String event, Predicate<JsonNode> data, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        lock.lock();
        try {
            while (true) {
                Optional<Frame> frame = untaken(f -> event.equals(f.event()) && data.test(f.data()));
                if (frame.isPresent()) {
                    throw new AssertionError(name + ": expected no " + event + " within " + duration + ", got "
                                                     + frame.get().text());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                newFrame.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            lock.unlock();
        }
    }

    /** Every frame received so far, in order, taken or not. */
    public List<Frame> frames() {
        lock.lock();
        try {
            return List.copyOf(frames);
        } finally {
            lock.unlock();
        }
    }

    /** The {@code data} of every frame of {@code event} received so far, taken or not, in order. */
    public List<JsonNode> received(String event) {
        return frames().stream().filter(f -> event.equals(f.event())).map(Frame::data).toList();
    }

    /** How many WebSocket pongs arrived. */
    public long pongs() {
        return pongs.get();
    }

    /** Stops reading from the socket (the server's writes back up into TCP buffers), until {@link #resumeReading()}. */
    public void pauseReading() {
        paused = true;
    }

    public void resumeReading() {
        paused = false;
        if (demandOwed) {
            demandOwed = false;
            socket.request(1);
        }
    }

    // ---------------------------------------------------------------- sending

    /** Sends {@code {"event", "data"}} without an ack id. {@code data} null leaves the field out. */
    public void send(String event, Object data) {
        sendRaw(frame(event, data, null));
    }

    /** Sends {@code {"event", "data", "ack"}}. */
    public void send(String event, Object data, long ackId) {
        sendRaw(frame(event, data, ackId));
    }

    /** Sends with a fresh ack id and returns the ack's {@code data} (waits at most 5 s). */
    public JsonNode request(String event, Object data) {
        long ackId = nextAckId();
        send(event, data, ackId);
        return awaitAck(ackId, ACK_TIMEOUT);
    }

    /** {@code presence:ping} with an ack; returns the ack's data. */
    public JsonNode ping() {
        return request("presence:ping", Map.of());
    }

    /** Subscribes to the presence of users; returns the ack's data. */
    public JsonNode subscribe(String... userIds) {
        return request("presence:subscribe", Map.of("userIds", List.of(userIds)));
    }

    public long nextAckId() {
        return ackIds.incrementAndGet();
    }

    /** Sends {@code text} as one complete text message. */
    public void sendRaw(String text) {
        sendText(text, true);
    }

    /** Sends one text frame of a message; {@code last} false leaves the message open for continuation frames. */
    public void sendText(String part, boolean last) {
        synchronized (sendLock) {
            await(socket.sendText(part, last), "send text");
        }
    }

    /** Sends one binary frame ({@code last} true: a complete binary message). */
    public void sendBinary(byte[] bytes, boolean last) {
        synchronized (sendLock) {
            await(socket.sendBinary(ByteBuffer.wrap(bytes), last), "send binary");
        }
    }

    public void sendBinary(byte[] bytes) {
        sendBinary(bytes, true);
    }

    /** Sends a WebSocket ping (transport level, not presence). */
    public void sendPing() {
        synchronized (sendLock) {
            await(socket.sendPing(ByteBuffer.allocate(0)), "send ping");
        }
    }

    /**
     * Sends {@code presence:ping} (without ack id) every {@code interval} until the socket closes or
     * {@link #stopPinging()}, like a well-behaved client.
     */
    public WsClient keepPinging(Duration interval) {
        stopPinging();
        pinger = Thread.ofVirtual().name("pinger-" + name).start(() -> {
            while (!Thread.currentThread().isInterrupted() && !closed.isDone()) {
                try {
                    Thread.sleep(interval);
                    send("presence:ping", Map.of());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | AssertionError e) {
                    return;
                }
            }
        });
        return this;
    }

    public void stopPinging() {
        Thread thread = pinger;
        if (thread != null) {
            thread.interrupt();
            pinger = null;
        }
    }

    // ---------------------------------------------------------------- closing

    /** Waits (at most 10 s) for the server's close frame or the connection's end. */
    public Close awaitClose() {
        return awaitClose(Poll.DEFAULT_TIMEOUT);
    }

    public Close awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": still open after " + timeout + "; frames: " + frames());
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the server closed the socket, or the connection dropped. */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        stopPinging();
        socket.abort();
    }

    /** Closes normally (1000) and waits (at most 5 s) for the server's answering close frame. */
    public Close closeNormally() {
        stopPinging();
        if (!closed.isDone()) {
            synchronized (sendLock) {
                await(socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye"), "send close");
            }
        }
        return awaitClose(Duration.ofSeconds(5));
    }

    /** Closes normally if still open, without failing; always releases the connection. */
    @Override
    public void close() {
        stopPinging();
        if (socket == null) {
            return;
        }
        try {
            if (!closed.isDone() && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                closed.get(2, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // the connection may be gone already; abort below releases it either way
        } finally {
            socket.abort();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // ---------------------------------------------------------------- internals

    private Frame awaitFrame(Predicate<Frame> wanted, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Optional<Frame> frame = untaken(wanted);
                if (frame.isPresent()) {
                    taken.add(frame.get());
                    return frame.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String state = closed.isDone() ? " (closed: " + closed.getNow(null) + ")" : "";
                    throw new AssertionError(name + ": no " + what + " within " + timeout + state + "; frames: " + frames);
                }
                newFrame.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            lock.unlock();
        }
    }

    private Optional<Frame> untaken(Predicate<Frame> wanted) {
        for (Frame frame : frames) {
            if (!taken.contains(frame) && wanted.test(frame)) {
                return Optional.of(frame);
            }
        }
        return Optional.empty();
    }

    private void arrived(String text) {
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            json = MissingNode.getInstance();
        }
        lock.lock();
        try {
            frames.add(new Frame(text, json, Instant.now()));
            newFrame.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void ended(Close close) {
        closed.complete(close);
        lock.lock();
        try {
            newFrame.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static String frame(String event, Object data, Long ackId) {
        ObjectNode frame = MAPPER.createObjectNode();
        frame.put("event", event);
        if (data != null) {
            frame.set("data", MAPPER.valueToTree(data));
        }
        if (ackId != null) {
            frame.put("ack", ackId);
        }
        return frame.toString();
    }

    private void await(CompletableFuture<WebSocket> send, String what) {
        try {
            send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new IllegalStateException(name + ": " + what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": " + what + " did not complete within " + SEND_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                arrived(message);
            }
            demand(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            arrived("{\"event\":\"[binary]\",\"bytes\":" + bytes.length + "}");
            demand(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            demand(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.incrementAndGet();
            lock.lock();
            try {
                newFrame.signalAll();
            } finally {
                lock.unlock();
            }
            demand(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(new Close(ABNORMAL_CLOSURE, String.valueOf(error)));
        }

        private void demand(WebSocket webSocket) {
            if (paused) {
                demandOwed = true;
            } else {
                webSocket.request(1);
            }
        }
    }
}
