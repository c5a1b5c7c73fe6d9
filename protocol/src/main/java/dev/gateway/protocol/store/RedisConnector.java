package dev.gateway.protocol.store;

import java.time.Duration;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.RedisClient;

/** Opens connections to one Redis endpoint with bounded timeouts, so that no command can hang forever. */
public final class RedisConnector {
    private final RedisEndpoint endpoint;
    private final Duration timeout;
    private final String clientName;

    public RedisConnector(RedisEndpoint endpoint, Duration timeout, String clientName) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.clientName = clientName;
    }

    public RedisEndpoint endpoint() {
        return endpoint;
    }

    /**
     * A pooled client for commands. Borrowing waits at most the timeout, so a burst that exhausts the pool fails
     * fast instead of queueing without bound.
     */
    public RedisClient pooledClient(int maxConnections) {
        GenericObjectPoolConfig<Connection> pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(0);
        pool.setMaxWait(timeout);
        pool.setTestWhileIdle(false);
        return RedisClient.builder()
                .hostAndPort(endpoint.hostAndPort())
                .clientConfig(endpoint.clientConfig(timeout, clientName))
                .poolConfig(pool)
                .build();
    }

    /** A dedicated connection, for a subscriber; {@code readTimeout} bounds each blocking read. */
    public Connection dedicatedConnection(Duration readTimeout) {
        Connection connection = new Connection(endpoint.hostAndPort(), endpoint.clientConfig(timeout, clientName));
        connection.setTimeoutInfinite();
        connection.setSoTimeout((int) readTimeout.toMillis());
        return connection;
    }
}
