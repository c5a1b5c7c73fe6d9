package dev.gateway.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.gateway.testsupport.Poll;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import static org.hamcrest.Matchers.is;

/**
 * A master, one replica and three Sentinels (quorum 2) on free loopback ports, as production runs Redis with
 * failover: {@link #url()} is the {@code redis-sentinel://} URL of the gateway. {@link #killMaster()} is
 * {@code kill -9} of the current master, {@link #failover()} a graceful {@code SENTINEL FAILOVER}; both wait until
 * the Sentinels name the replica as the new master and it accepts writes.
 * <p>
 * Both Redis servers keep an AOF ({@code appendfsync always}), so that what the master acknowledged survives on it;
 * what the replica had not received when the master died is lost, as in production.
 */
public final class RedisSentinels implements AutoCloseable {
    public static final String MASTER_NAME = "it-master";
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(15);

    private final List<RedisProcess> servers = new ArrayList<>();
    private final List<RedisProcess> sentinels = new ArrayList<>();
    private volatile RedisProcess master;

    private RedisSentinels() {
    }

    /** Starts the set and waits until every Sentinel knows the replica and the other Sentinels. */
    public static RedisSentinels start() {
        RedisSentinels set = new RedisSentinels();
        try {
            set.master = RedisProcess.server("--appendonly", "yes", "--appendfsync", "always");
            set.servers.add(set.master);
            RedisProcess replica = RedisProcess.server("--appendonly", "yes", "--appendfsync", "always",
                                                       "--replicaof", "127.0.0.1", Integer.toString(set.master.port()));
            set.servers.add(replica);
            Poll.eventually("the replica in sync", () -> info(replica, "replication").get("master_link_status"), is("up"));
            for (int i = 0; i < 3; i++) {
                set.sentinels.add(RedisProcess.sentinel(MASTER_NAME, set.master.port(), 2));
            }
            for (RedisProcess sentinel : set.sentinels) {
                Poll.eventually(sentinel + " knows the replica and the other Sentinels", () -> set.knowsAll(sentinel), is(true),
                                Duration.ofSeconds(15));
            }
            return set;
        } catch (RuntimeException | AssertionError e) {
            set.close();
            throw e;
        }
    }

    /** {@code redis-sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/it-master}. */
    public String url() {
        return "redis-sentinel://" + sentinels.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","))
                + "/" + MASTER_NAME;
    }

    /** The server that is master now. */
    public RedisProcess master() {
        return master;
    }

    /** The server that is replica now. */
    public RedisProcess replica() {
        return servers.stream().filter(s -> s != master).findFirst().orElseThrow();
    }

    /** {@code kill -9} of the master, then waits until the replica is promoted; returns the new master. */
    public RedisProcess killMaster() {
        RedisProcess old = master;
        old.kill();
        return awaitPromotionOf(replica(), old);
    }

    /**
     * Starts the killed server again, as a supervisor would, and waits until the Sentinels have made it a replica of
     * the new master and it is in sync (a master without replica cannot confirm replicated writes).
     */
    public void restartKilled() {
        RedisProcess old = replica();
        old.restart();
        Poll.eventually(old + " a replica in sync again", () -> info(old, "replication").get("master_link_status"), is("up"),
                        Duration.ofSeconds(30));
    }

    /** {@code SENTINEL FAILOVER}: the replica is promoted and the old master becomes its replica. */
    public RedisProcess failover() {
        RedisProcess old = master;
        RedisProcess next = replica();
        try (Jedis sentinel = sentinels.getFirst().connect()) {
            sentinel.sentinelFailover(MASTER_NAME);
        }
        return awaitPromotionOf(next, old);
    }

    /** Where the Sentinels say the master is (the first that answers). */
    public HostAndPort reportedMaster() {
        for (RedisProcess sentinel : sentinels) {
            try (Jedis jedis = sentinel.connect()) {
                List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
                return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
            } catch (RuntimeException e) {
                // the next one
            }
        }
        throw new AssertionError("no Sentinel answers");
    }

    @Override
    public void close() {
        sentinels.forEach(RedisProcess::close);
        servers.forEach(RedisProcess::close);
    }

    private RedisProcess awaitPromotionOf(RedisProcess next, RedisProcess old) {
        Poll.eventually("every Sentinel names " + next + " the master", () -> sentinels.stream().allMatch(
                s -> next.hostAndPort().equals(reportedBy(s))), is(true), FAILOVER_TIMEOUT);
        Poll.eventually(next + " is master", () -> info(next, "replication").get("role"), is("master"), FAILOVER_TIMEOUT);
        master = next;
        return next;
    }

    private boolean knowsAll(RedisProcess sentinel) {
        try (Jedis jedis = sentinel.connect()) {
            List<Map<String, String>> replicas = jedis.sentinelReplicas(MASTER_NAME);
            List<Map<String, String>> others = jedis.sentinelSentinels(MASTER_NAME);
            return replicas.size() == 1 && !replicas.getFirst().get("flags").contains("down") && others.size() == 2;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static HostAndPort reportedBy(RedisProcess sentinel) {
        try (Jedis jedis = sentinel.connect()) {
            List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
            return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Map<String, String> info(RedisProcess server, String section) {
        try (Jedis jedis = server.connect()) {
            return jedis.info(section).lines().filter(l -> l.contains(":"))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf(':') + 1).trim(),
                                              (a, b) -> b));
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
