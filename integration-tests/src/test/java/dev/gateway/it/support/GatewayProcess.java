package dev.gateway.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gateway.testsupport.Poll;

/**
 * One gateway node as its own OS process ({@code java -jar gateway-server.jar}), configured through environment
 * variables only, as an operator would run it.
 * <p>
 * Its stdout and stderr (merged) go to a log file and to a ring buffer for assertions and for the diagnostics
 * printed when a test fails. {@link #terminate()} is SIGTERM (graceful shutdown), {@link #kill()} is SIGKILL.
 */
public final class GatewayProcess implements AutoCloseable {
    /** The server jar, passed by the integration-tests pom. */
    public static final String SERVER_JAR_PROPERTY = "gateway.server.jar";

    private static final Pattern LISTENING = Pattern.compile("gateway listening on port (\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int RING_LINES = 2000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String nodeId;
    private final Process process;
    private final Path logFile;
    private final Deque<String> ring = new ArrayDeque<>();
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    private final Thread pump;
    private volatile int port;

    private GatewayProcess(String nodeId, Process process, Path logFile) {
        this.nodeId = nodeId;
        this.process = process;
        this.logFile = logFile;
        this.pump = Thread.ofPlatform().daemon().name("gateway-output-" + nodeId).start(this::pumpOutput);
    }

    /**
     * Starts a node and waits (at most 20 s) until it logs the port it listens on.
     *
     * @param nodeId  its {@code GATEWAY_NODE_ID}
     * @param env     the whole configuration; nothing is inherited from the test's environment but PATH and HOME
     * @param logFile where its output goes
     */
    public static GatewayProcess start(String nodeId, Map<String, String> env, Path logFile) {
        GatewayProcess node = launch(nodeId, env, logFile);
        node.port = node.awaitListening();
        return node;
    }

    /** Starts a node without waiting for it to listen: for configurations that must make it refuse to start. */
    public static GatewayProcess launch(String nodeId, Map<String, String> env, Path logFile) {
        List<String> command = List.of(javaCommand(), "@" + argFile(logFile));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        Map<String, String> inherited = Map.copyOf(environment);
        environment.clear();
        for (String keep : List.of("PATH", "HOME", "TMPDIR", "LANG")) {
            if (inherited.containsKey(keep)) {
                environment.put(keep, inherited.get(keep));
            }
        }
        environment.putAll(env);
        environment.put("GATEWAY_NODE_ID", nodeId);
        try {
            return new GatewayProcess(nodeId, builder.start(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * The JVM options and {@code -jar gateway-server.jar}, in an argument file next to the log. The process's command
     * line is then {@code java @file}: other tools on a shared machine that stop gateways by name
     * ({@code pkill -f gateway-server.jar}) leave the test's nodes alone.
     */
    private static Path argFile(Path logFile) {
        Path file = logFile.resolveSibling(logFile.getFileName().toString().replace(".log", ".args"));
        List<String> args = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                                    "-jar", "\"" + serverJar() + "\"");
        try {
            Files.createDirectories(logFile.getParent());
            Files.write(file, args, StandardCharsets.UTF_8);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The java launcher of the JVM running the tests, so that the gateway runs on the same JDK. */
    static String javaCommand() {
        return ProcessHandle.current().info().command().orElseGet(
                () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static Path serverJar() {
        String jar = System.getProperty(SERVER_JAR_PROPERTY);
        if (jar == null) {
            throw new IllegalStateException("system property " + SERVER_JAR_PROPERTY + " is not set; run through Maven");
        }
        Path path = Path.of(jar).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist; build it first (mvn -B -q install -DskipTests)");
        }
        return path;
    }

    public String nodeId() {
        return nodeId;
    }

    /** The port it listens on (0 while it has not said). */
    public int port() {
        if (port == 0 && listening.isDone() && !listening.isCompletedExceptionally()) {
            port = listening.join();
        }
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** {@code ws://127.0.0.1:port/ws}. */
    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    public URI httpUri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Status code of {@code GET path}; -1 when the request fails (connection refused, timeout). */
    public int httpStatus(String path) {
        return get(path).statusCode();
    }

    /** {@code GET path}; fails the test when no response comes within 5 s. */
    public HttpResponse<String> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(httpUri(path)).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on " + nodeId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Status of {@code GET /observe/health}. */
    public int health() {
        return httpStatus("/observe/health");
    }

    /** Sends SIGTERM and waits (at most 10 s) for the exit code. */
    public int terminate() {
        process.destroy();
        return awaitExit();
    }

    /** Sends SIGKILL ({@code kill -9}) and waits for the process to be gone. */
    public int kill() {
        process.destroyForcibly();
        return awaitExit();
    }

    /** Waits (at most 10 s) until the process exits, and returns its exit code. */
    public int awaitExit() {
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("gateway " + nodeId + " did not exit within " + EXIT_TIMEOUT + "; killed it");
            }
            pump.join(EXIT_TIMEOUT.toMillis());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether the node logged the port it listens on. */
    public boolean isListening() {
        return port() != 0;
    }

    /** The output lines kept so far (the last 2000). */
    public List<String> output() {
        synchronized (ring) {
            return List.copyOf(ring);
        }
    }

    /** The last {@code lines} lines of output, one string. */
    public String tail(int lines) {
        List<String> all = output();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Waits until a line of output matches {@code regex} (find, not full match) and returns that line. */
    public String awaitOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : output()) {
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no output line of gateway " + nodeId + " matched /" + regex + "/ within "
                                                 + timeout + "; last lines:\n" + tail(40));
            }
            Poll.sleep(50);
        }
    }

    /** Stops the node if it still runs: SIGKILL, the quickest way; tests that care about shutdown call {@link #terminate()}. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "gateway " + nodeId + " (pid " + process.pid() + ", port " + (port == 0 ? "?" : port) + ")";
    }

    private int awaitListening() {
        try {
            return listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new AssertionError("gateway " + nodeId + " did not log 'gateway listening on port N' within "
                                             + START_TIMEOUT + "; output:\n" + tail(60));
        } catch (ExecutionException e) {
            throw new AssertionError("gateway " + nodeId + " exited before listening (exit code "
                                             + exitCodeOrUnknown() + "); output:\n" + tail(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private String exitCodeOrUnknown() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
            return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                              StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                synchronized (ring) {
                    ring.addLast(line);
                    if (ring.size() > RING_LINES) {
                        ring.removeFirst();
                    }
                }
                if (!listening.isDone()) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        listening.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            }
        } catch (IOException e) {
            synchronized (ring) {
                ring.addLast("[test harness] output pump failed: " + e);
            }
        } finally {
            listening.completeExceptionally(new IllegalStateException("output ended"));
        }
    }
}
