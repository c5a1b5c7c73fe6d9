package dev.gateway.protocol.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * A real Redis (embedded-redis, 7.0) for one test class, on a free port, without persistence. Every test starts
 * from an empty database.
 * <pre>
 *   &#64;RegisterExtension
 *   static final TestRedis REDIS = new TestRedis();
 * </pre>
 */
public final class TestRedis implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private RedisServer server;
    private RedisClient client;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) {
        port = freePort();
        server = RedisServer.builder().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        client = new RedisConnector(endpoint(), Duration.ofSeconds(5), "gateway-test").pooledClient(8);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        client.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    public int port() {
        return port;
    }

    public RedisEndpoint endpoint() {
        return RedisEndpoint.parse("redis://127.0.0.1:" + port);
    }

    /** A pooled client to the server, as the gateway builds it. */
    public RedisClient client() {
        return client;
    }

    /** Starts recording the messages published on these channels; close it after the test. */
    public ChannelRecorder record(String... channels) {
        return ChannelRecorder.start(port, channels);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
