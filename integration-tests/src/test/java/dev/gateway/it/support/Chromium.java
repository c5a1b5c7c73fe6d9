package dev.gateway.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.protocol.event.Json;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A headless Chromium (the Debian package, {@code /usr/bin/chromium} or {@code CHROMIUM}) driven over the Chrome
 * DevTools protocol from the test itself: no browser downloaded by a package manager, no driver process. One browser
 * per test class is enough; each {@link #newContext()} is an isolated profile (its own cookies and storage, as a
 * second person on another machine), and each context opens {@link BrowserPage}s.
 * <p>
 * {@link #start()} skips the calling test (a JUnit assumption) when no Chromium is installed, so the suite still
 * passes on a machine without one; CI installs it. Every wait is bounded.
 */
public final class Chromium implements AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper MAPPER = Json.mapper();
    /** Flags known to work in a container as root without a display or a network. */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                                      "--no-first-run", "--disable-background-networking",
                                                      "--disable-component-update", "--disable-sync",
                                                      "--disable-dev-shm-usage", "--remote-debugging-port=0");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> sessions = new ConcurrentHashMap<>();
    private final List<BrowserContext> contexts = new CopyOnWriteArrayList<>();

    private Chromium(Process process, Path profile, URI endpoint) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(COMMAND_TIMEOUT)
                .buildAsync(endpoint, new Receiver())
                .orTimeout(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    /** The browser binary: {@code CHROMIUM} from the environment, else the Debian package's. */
    public static Path binary() {
        return Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    }

    /** True when a Chromium is installed here. */
    public static boolean installed() {
        return Files.isExecutable(binary());
    }

    /** Starts a headless browser with a new empty profile; skips the test when none is installed. */
    public static Chromium start() {
        assumeTrue(installed(), "Chromium is not installed at " + binary() + " (apt-get install -y chromium, or set "
                + "CHROMIUM): browser tests skipped");
        try {
            Path profile = Files.createTempDirectory("gateway-chromium-");
            List<String> command = new ArrayList<>();
            command.add(binary().toString());
            command.addAll(FLAGS);
            command.add("--user-data-dir=" + profile);
            command.add("about:blank");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(profile.resolve("chromium.log").toFile())
                    .start();
            return new Chromium(process, profile, awaitEndpoint(process, profile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary(), e);
        }
    }

    /** Chromium writes its DevTools port and browser path to {@code DevToolsActivePort} in the profile once it listens. */
    private static URI awaitEndpoint(Process process, Path profile) {
        Path file = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
                if (lines.size() >= 2) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
                }
                Thread.sleep(50);
            } catch (IOException e) {
                // written while we read: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String log;
        try {
            log = Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            log = e.toString();
        }
        process.destroyForcibly();
        throw new IllegalStateException("Chromium did not open its DevTools port within " + START_TIMEOUT + ":\n" + log);
    }

    /** A new isolated profile in this browser (separate cookies, storage and connections). */
    public BrowserContext newContext() {
        String id = call(Optional.empty(), "Target.createBrowserContext", MAPPER.createObjectNode()).path("browserContextId")
                .asText();
        BrowserContext context = new BrowserContext(this, id);
        contexts.add(context);
        return context;
    }

    /** Sends one DevTools command, to the browser or to one page's session, and waits for its result. */
    JsonNode call(Optional<String> sessionId, String method, ObjectNode params) {
        long id = ids.incrementAndGet();
        ObjectNode message = MAPPER.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        sessionId.ifPresent(session -> message.put("sessionId", session));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (socket) {
                socket.sendText(message.toString(), true).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            JsonNode reply = answer.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer within " + COMMAND_TIMEOUT, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Routes the events of one page session (console messages, exceptions) to that page. */
    void onEvents(String sessionId, Consumer<JsonNode> events) {
        sessions.put(sessionId, events);
    }

    void forget(BrowserContext context) {
        contexts.remove(context);
    }

    private void dispatch(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.get(message.get("id").asLong());
            if (answer != null) {
                answer.complete(message);
            }
        } else if (message.has("sessionId")) {
            Consumer<JsonNode> events = sessions.get(message.get("sessionId").asText());
            if (events != null) {
                events.accept(message);
            }
        }
    }

    @Override
    public void close() {
        for (BrowserContext context : List.copyOf(contexts)) {
            try {
                context.close();
            } catch (RuntimeException ignored) {
                // the browser goes away below anyway
            }
        }
        try {
            call(Optional.empty(), "Browser.close", MAPPER.createObjectNode());
        } catch (RuntimeException ignored) {
            // killed below
        }
        socket.abort();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    /** Joins the fragments of each DevTools message (a screenshot spans many). */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(MAPPER.readTree(text));
                } catch (IOException | RuntimeException ignored) {
                    // not a DevTools message: nothing waits for it
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
