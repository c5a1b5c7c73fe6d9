package dev.gateway.server.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

import dev.gateway.protocol.store.RedisEndpoint;
import dev.gateway.server.config.StartupException;

import redis.embedded.RedisServer;

/**
 * The development default: when no {@code REDIS_URL} is given and nothing answers on localhost:6379, the gateway
 * starts the Redis binary that ships in org.signal:embedded-redis there, so a fresh clone runs with no setup.
 * Not for production: no persistence, and it dies with the gateway.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedRedis.class.getName());

    private final RedisServer server;

    private EmbeddedRedis(RedisServer server) {
        this.server = server;
    }

    /** Starts an embedded Redis when the configuration allows it and nothing listens on the default address. */
    public static Optional<EmbeddedRedis> startIfNeeded(RedisEndpoint endpoint, boolean urlGiven) {
        if (urlGiven || !endpoint.isLocalDefault() || answers(endpoint)) {
            return Optional.empty();
        }
        int port = endpoint.hostAndPort().getPort();
        RedisServer server = RedisServer.builder()
                .port(port)
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new StartupException("nothing answers on localhost:" + port + " and the embedded Redis failed to start: "
                                               + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.WARNING, "event=embedded-redis port={0} note=\"REDIS_URL is unset and nothing answered "
                + "on localhost:{0}: started an embedded Redis for development; set REDIS_URL in production\"",
                Integer.toString(port));
        return Optional.of(new EmbeddedRedis(server));
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "embedded Redis stop failed: {0}", e.toString());
        }
    }

    private static boolean answers(RedisEndpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.hostAndPort().getHost(), endpoint.hostAndPort().getPort()), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
