package dev.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.embedded.RedisServer;
import redis.embedded.RedisServerBuilder;

import static org.hamcrest.Matchers.is;

/**
 * One embedded Redis per test class, on a free port, emptied before each test (unless {@link #keptBetweenTests()}).
 * <p>
 * Register it as a static extension: {@code @RegisterExtension static final TestRedis REDIS = new TestRedis();}.
 * {@link #stop()} and {@link #start()} restart it on the same port with an empty keyspace (no persistence), which
 * is what a gateway sees when its Redis restarts. Outside JUnit (a benchmark's main), {@link #started()} gives one
 * that runs until {@link #close()}.
 */
public final class TestRedis implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, AutoCloseable {
    private final Optional<String> password;
    private final boolean flushBeforeEach;
    private RedisServer server;
    private RedisClient client;
    private int port;

    /** A Redis without authentication. */
    public TestRedis() {
        this(Optional.empty(), true);
    }

    /** A Redis that requires this password ({@code requirepass}); {@link #url()} carries it. */
    public TestRedis(String password) {
        this(Optional.of(password), true);
    }

    private TestRedis(Optional<String> password, boolean flushBeforeEach) {
        this.password = password;
        this.flushBeforeEach = flushBeforeEach;
    }

    /**
     * A Redis without authentication that is not emptied between the tests of the class: for nodes and clients shared
     * by the whole class (a fixture made once for read-only tests, or tests kept apart by their own user ids). Emptying
     * Redis under nodes that serve the whole class deletes their {@code ws:node} records, and when that happens just
     * before two of another node's dead-node sweeps in a row, that node reaps a live node's sockets.
     */
    public static TestRedis keptBetweenTests() {
        return new TestRedis(Optional.empty(), false);
    }

    /** A Redis without authentication, started now (not by JUnit); the caller closes it. */
    public static TestRedis started() {
        TestRedis redis = new TestRedis();
        redis.launch();
        return redis;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        launch();
    }

    private void launch() {
        port = freePort();
        Path dir;
        try {
            dir = Files.createTempDirectory("it-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisServerBuilder builder = RedisServer.builder()
                .port(port)
                .setting("bind 127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("dir " + dir);
        password.ifPresent(p -> builder.setting("requirepass " + p));
        server = builder.build();
        server.start();
        client = RedisClient.create(URI.create(url()));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!server.isActive()) {
            server.start();
        }
        Poll.eventually("Redis answers PING before the test", this::ping, is("PONG"));
        if (flushBeforeEach) {
            client.flushAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Stops Redis for good (after all tests, or the end of a {@link #started()} one). */
    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** {@code redis://127.0.0.1:port} (with {@code :password@} when it has one), the value for {@code REDIS_URL}. */
    public String url() {
        return "redis://" + password.map(p -> ":" + p + "@").orElse("") + "127.0.0.1:" + port;
    }

    /** A client of another logical database ({@code SELECT db}); the caller closes it. */
    public RedisClient client(int database) {
        return RedisClient.create(URI.create(url() + "/" + database));
    }

    public int port() {
        return port;
    }

    /** A Jedis client for assertions; commands fail while Redis is stopped and work again after {@link #start()}. */
    public RedisClient client() {
        return client;
    }

    /** Empties every database now (as before each test), for tests that need a clean Redis halfway. */
    public void flush() {
        client.flushAll();
    }

    /** Stops the Redis process; its data is lost. */
    public void stop() {
        server.stop();
    }

    /** Starts Redis again on the same port, empty. */
    public void start() {
        server.start();
    }

    public boolean isRunning() {
        return server.isActive();
    }

    /** Every key matching a glob pattern, found with SCAN (never KEYS). */
    public List<String> scan(String pattern) {
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(pattern).count(500);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    private String ping() {
        return client.ping();
    }

    /** A port nothing listens on (it was free a moment ago): for a Redis that is not there. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
