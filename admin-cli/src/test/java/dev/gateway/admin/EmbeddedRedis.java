package dev.gateway.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/** A throwaway Redis on a free local port, one per test class; nothing is saved to disk. */
final class EmbeddedRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;
    private final RedisClient client;

    private EmbeddedRedis(int port) {
        this.port = port;
        this.server = RedisServer.builder().port(port).setting("bind 127.0.0.1").setting("save \"\"").build();
        server.start();
        this.client = RedisClient.create("127.0.0.1", port);
    }

    static EmbeddedRedis start() {
        return new EmbeddedRedis(freePort());
    }

    /** A port nothing listens on (it was free a moment ago): where Redis is unreachable. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    RedisClient client() {
        return client;
    }

    void flush() {
        client.flushAll();
    }

    @Override
    public void close() {
        client.close();
        server.stop();
    }
}
