package dev.gateway.protocol.store;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * Opens connections to one Redis endpoint with bounded timeouts, so that no command can hang forever. With a
 * {@code redis-sentinel://} endpoint the connections go to the master the Sentinels name, and follow it through a
 * failover: the pooled client through Jedis' own Sentinel support ({@link SentineledConnectionProvider}, which
 * switches its pool on the Sentinels' {@code +switch-master}), dedicated connections by asking where the master is
 * each time one is opened.
 */
public final class RedisConnector {
    /** How long Jedis waits before it listens to a Sentinel again after losing it. */
    private static final Duration SENTINEL_RETRY = Duration.ofSeconds(1);

    private final RedisEndpoint endpoint;
    private final Duration timeout;
    private final String clientName;
    private final AtomicReference<SentineledConnectionProvider> sentinelPool;
    private final List<ConnectionProvider> pools;

    public RedisConnector(RedisEndpoint endpoint, Duration timeout, String clientName) {
        this(endpoint, timeout, clientName, new AtomicReference<>(), new CopyOnWriteArrayList<>());
    }

    private RedisConnector(RedisEndpoint endpoint, Duration timeout, String clientName,
                           AtomicReference<SentineledConnectionProvider> sentinelPool, List<ConnectionProvider> pools) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.clientName = clientName;
        this.sentinelPool = sentinelPool;
        this.pools = pools;
    }

    /** The same Redis under another client name, following the same master (a node's subscriber beside its pool). */
    public RedisConnector named(String otherClientName) {
        return new RedisConnector(endpoint, timeout, otherClientName, sentinelPool, pools);
    }

    /**
     * Closes the idle connections of the pooled clients made here: after Redis restarted (or the network dropped)
     * they are dead, and each would otherwise fail one command before the pool replaces it.
     */
    public void dropIdleConnections() {
        for (ConnectionProvider provider : pools) {
            for (Object pool : provider.getConnectionMap().values()) {
                if (pool instanceof GenericObjectPool<?> idle) {
                    idle.clear();
                }
            }
        }
    }

    public RedisEndpoint endpoint() {
        return endpoint;
    }

    /**
     * A pooled client for commands. Borrowing waits at most the timeout, so a burst that exhausts the pool fails
     * fast instead of queueing without bound.
     *
     * @throws JedisException with Sentinel, when no Sentinel answers or none knows the master
     */
    public RedisClient pooledClient(int maxConnections) {
        GenericObjectPoolConfig<Connection> pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(0);
        pool.setMaxWait(timeout);
        pool.setTestWhileIdle(false);
        if (endpoint.sentinel().isPresent()) {
            RedisEndpoint.Sentinel sentinel = endpoint.sentinel().get();
            SentineledConnectionProvider provider = new SentineledConnectionProvider(
                    sentinel.masterName(), endpoint.clientConfig(timeout, clientName), pool,
                    new LinkedHashSet<>(sentinel.sentinels()), endpoint.sentinelConfig(timeout, clientName),
                    SENTINEL_RETRY.toMillis());
            sentinelPool.compareAndSet(null, provider);
            pools.add(provider);
            return RedisClient.builder().connectionProvider(provider).build();
        }
        PooledConnectionProvider provider = new PooledConnectionProvider(endpoint.hostAndPort(),
                                                                         endpoint.clientConfig(timeout, clientName), pool);
        pools.add(provider);
        return RedisClient.builder().connectionProvider(provider).build();
    }

    /**
     * A dedicated connection to the master, for a subscriber; {@code readTimeout} bounds each blocking read (also
     * while subscribed: Jedis applies it in place of "infinite").
     */
    public Connection dedicatedConnection(Duration readTimeout) {
        return dedicatedConnection(master(), readTimeout);
    }

    /** {@link #dedicatedConnection(Duration)} to a master found with {@link #master()} before. */
    public Connection dedicatedConnection(HostAndPort master, Duration readTimeout) {
        Connection connection = new Connection(master, endpoint.clientConfig(timeout, readTimeout, clientName));
        connection.setSoTimeout((int) readTimeout.toMillis());
        return connection;
    }

    /**
     * Where the master is as far as this node knows without asking (what the pool follows); empty without
     * Sentinel, or before a pooled client was made.
     */
    public Optional<HostAndPort> knownMaster() {
        SentineledConnectionProvider provider = sentinelPool.get();
        return provider == null ? Optional.empty() : Optional.ofNullable(provider.getCurrentMaster());
    }

    /** The master's address: the URL's server, or the one the Sentinels name now. */
    public HostAndPort master() {
        if (endpoint.sentinel().isEmpty()) {
            return endpoint.hostAndPort();
        }
        RedisEndpoint.Sentinel sentinel = endpoint.sentinel().get();
        JedisException last = null;
        for (HostAndPort address : sentinel.sentinels()) {
            try (Jedis jedis = new Jedis(address, endpoint.sentinelConfig(timeout, clientName))) {
                List<String> master = jedis.sentinelGetMasterAddrByName(sentinel.masterName());
                if (master != null && master.size() == 2) {
                    return new HostAndPort(master.get(0), Integer.parseInt(master.get(1)));
                }
            } catch (JedisException e) {
                last = e;
            }
        }
        throw new JedisConnectionException("no Sentinel names a master for " + sentinel.masterName(), last);
    }
}
