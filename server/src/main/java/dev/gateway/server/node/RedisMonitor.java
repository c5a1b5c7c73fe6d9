package dev.gateway.server.node;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import redis.clients.jedis.RedisClient;

/**
 * Whether this node can reach Redis, checked by a PING every second. Health and the handshake read it; when Redis
 * comes back after an outage, the recovery runs: Redis may have restarted empty, so the node registers its live
 * sockets again and retries the removals that failed meanwhile.
 */
public final class RedisMonitor {
    private static final System.Logger LOG = System.getLogger(RedisMonitor.class.getName());

    private final RedisClient redis;
    private final Recovery recovery;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean available;
    private volatile Optional<String> runId = Optional.empty();

    /** What to do when Redis answers again after an outage. */
    @FunctionalInterface
    public interface Recovery {
        /**
         * @param restarted true when Redis is a new process (its run id changed): it may have lost every key, and
         *                  nobody saw the users go offline
         */
        void recover(boolean restarted);
    }

    public RedisMonitor(RedisClient redis, Recovery recovery) {
        this.redis = redis;
        this.recovery = recovery;
    }

    public boolean isAvailable() {
        return available;
    }

    /**
     * Checks Redis once; called every second by the node's scheduler, and by the subscriber when it had to
     * reconnect (a restart shorter than a second is only seen there). Runs the recovery when Redis answers again
     * after an outage, or answers as a new process.
     */
    public void check() {
        lock.lock();
        try {
            checkLocked();
        } finally {
            lock.unlock();
        }
    }

    private void checkLocked() {
        boolean wasAvailable = available;
        Optional<String> currentRunId;
        try {
            currentRunId = runIdOf(redis.info("server"));
        } catch (RuntimeException e) {
            if (wasAvailable) {
                LOG.log(System.Logger.Level.WARNING, "event=redis-unavailable error=\"{0}\"", e.getMessage());
            }
            available = false;
            return;
        }
        Optional<String> previousRunId = runId;
        runId = currentRunId;
        available = true;
        boolean restarted = previousRunId.isPresent() && !previousRunId.equals(currentRunId);
        if ((!wasAvailable && previousRunId.isPresent()) || restarted) {
            LOG.log(System.Logger.Level.INFO, "event=redis-available restarted={0}", restarted);
            try {
                recovery.recover(restarted);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event=redis-recovery-failed error=\"{0}\"", e.getMessage());
                available = false;
            }
        }
    }

    private static Optional<String> runIdOf(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return Optional.of(line.substring("run_id:".length()).trim());
            }
        }
        return Optional.of("unknown");
    }
}
