package dev.gateway.it.socketio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.NodePackages;
import dev.gateway.protocol.event.Json;


/**
 * One real {@code socket.io-client} 4.x in a Node.js process ({@code src/test/node/sio-peer.mjs}), driven through its
 * stdin and observed through its stdout, one JSON object a line. Lines are kept in order; {@link #await} takes the
 * first untaken line that matches, so a test waits for events in any order without losing the others. Every wait is
 * bounded.
 * <p>
 * {@link #install()} runs {@code npm ci} once per test JVM ({@link NodePackages}) and skips the calling test (an
 * assumption) when Node.js or npm is not installed.
 */
final class SioPeer implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final Path NODE_DIR = NodePackages.DIR;

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition newLine = lock.newCondition();
    private final List<JsonNode> lines = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();

    private SioPeer(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofVirtual().name("sio-peer-" + name).start(this::read);
    }

    /** Installs the client from package-lock.json once; skips the test when node or npm is missing. */
    static void install() {
        NodePackages.install();
    }

    /** Starts a peer process; {@link #connect} then connects it. */
    static SioPeer start(String name) {
        install();
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules"))) {
            throw new IllegalStateException("no node_modules in " + NODE_DIR);
        }
        try {
            Process process = new ProcessBuilder("node", "sio-peer.mjs")
                    .directory(NODE_DIR.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new SioPeer(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code io(url, {auth: {token}, transports: ["websocket"], reconnection: false})}, plus any other options. */
    SioPeer connect(GatewayProcess node, Map<String, ?> auth, Map<String, ?> options) {
        Map<String, Object> command = new LinkedHashMap<>(options);
        command.put("op", "connect");
        command.put("url", "http://127.0.0.1:" + node.port());
        command.put("auth", auth);
        send(command);
        return this;
    }

    /** Connects with {@code auth: {token}} and waits for the Socket.IO {@code connect}; returns the socket id. */
    String connectWithToken(GatewayProcess node, String token) {
        connect(node, Map.of("token", token), Map.of());
        return await("connect", line -> true).path("id").asText();
    }

    /** Emits without an ack callback. */
    void emit(String event, Object data) {
        send(Map.of("op", "emit", "event", event, "data", data));
    }

    /** Emits with a Socket.IO ack callback and waits for the ack's data. */
    JsonNode request(String event, Object data) {
        long id = seq.incrementAndGet();
        send(Map.of("op", "emit", "event", event, "data", data, "seq", id));
        return await("ack", line -> line.path("seq").asLong() == id).path("data");
    }

    void disconnect() {
        send(Map.of("op", "disconnect"));
    }

    /** Waits for the first untaken server event of this name and returns its data. */
    JsonNode awaitEvent(String event) {
        return awaitEvent(event, data -> true);
    }

    JsonNode awaitEvent(String event, Predicate<JsonNode> data) {
        return await("event", line -> event.equals(line.path("event").asText()) && data.test(line.path("data"))).path("data");
    }

    /** Waits for the first untaken line of this type that matches, takes it and returns it. */
    JsonNode await(String type, Predicate<JsonNode> matches) {
        return await(type, matches, TIMEOUT);
    }

    JsonNode await(String type, Predicate<JsonNode> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (int i = 0; i < lines.size(); i++) {
                    JsonNode line = lines.get(i);
                    if (!taken.get(i) && type.equals(line.path("type").asText()) && matches.test(line)) {
                        taken.set(i, true);
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": no " + type + " within " + timeout + "; saw " + lines);
                }
                newLine.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            lock.unlock();
        }
    }

    /** Every line of this type seen so far, taken or not. */
    List<JsonNode> seen(String type) {
        lock.lock();
        try {
            return lines.stream().filter(line -> type.equals(line.path("type").asText())).toList();
        } finally {
            lock.unlock();
        }
    }

    void send(Map<String, ?> command) {
        try {
            stdin.write(MAPPER.writeValueAsString(command) + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": peer process is gone", e);
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                JsonNode line;
                try {
                    line = MAPPER.readTree(text);
                } catch (JsonProcessingException e) {
                    line = MAPPER.createObjectNode().put("type", "output").put("text", text);
                }
                lock.lock();
                try {
                    lines.add(line);
                    taken.add(false);
                    newLine.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
