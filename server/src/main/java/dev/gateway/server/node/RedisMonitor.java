package dev.gateway.server.node;

import java.net.SocketTimeoutException;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import redis.clients.jedis.UnifiedJedis;

/**
 * Whether this node can reach Redis, checked by {@code INFO server} every 250 ms (and at once when a caller has
 * reason to doubt it). Health and the handshake read it. When Redis answers again after an outage, or answers as
 * another process (its {@code run_id} changed: a restart, or a Sentinel failover to a replica), the recovery runs
 * before the node counts as available again, so that sockets opened afterwards meet a Redis that knows the node's
 * live sockets again.
 * <pre>
 *  AVAILABLE ──(no answer, on a fresh connection too)──► UNAVAILABLE ──(answers; recovery done)──► AVAILABLE
 *      │                                           ▲    │
 *      └──(answers with another run_id)──► RECOVERING ──(recovery fails)┘
 * </pre>
 * After a Redis restart every idle pooled connection is dead, and each would fail one command: a failed check drops
 * them all and asks once more on a fresh connection, so a restart shorter than a check interval costs no refusals.
 */
public final class RedisMonitor {
    private static final System.Logger LOG = System.getLogger(RedisMonitor.class.getName());

    private final UnifiedJedis redis;
    private final Runnable dropIdleConnections;
    private final Recovery recovery;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean available;
    private Optional<String> runId = Optional.empty();
    private boolean recoveryDue;
    private boolean restartSeen;

    /** What to do when Redis answers again after an outage. */
    @FunctionalInterface
    public interface Recovery {
        /**
         * @param restarted true when Redis is a new process (its run id changed): it may have lost every key, or miss
         *                  the last writes (a promoted replica), and nobody saw the users go offline
         */
        void recover(boolean restarted);
    }

    /**
     * @param dropIdleConnections closes the pool's idle connections (after a failure they are likely all dead)
     */
    public RedisMonitor(UnifiedJedis redis, Runnable dropIdleConnections, Recovery recovery) {
        this.redis = redis;
        this.dropIdleConnections = dropIdleConnections;
        this.recovery = recovery;
    }

    public boolean isAvailable() {
        return available;
    }

    /**
     * Checks Redis once; called every 250 ms by the node's scheduler, by the subscriber when it had to reconnect, and
     * when a refresh found registrations gone. Runs the recovery when Redis answers again after an outage, or answers
     * as a new process.
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
        Optional<String> current = runId();
        if (current.isEmpty()) {
            if (runId.isPresent()) {
                recoveryDue = true;
            }
            available = false;
            return;
        }
        if (runId.isPresent() && !runId.equals(current)) {
            restartSeen = true;
            recoveryDue = true;
        }
        if (recoveryDue) {
            dropIdleConnections.run(); // they reached the process that went away
        }
        runId = current;
        if (recoveryDue) {
            LOG.log(System.Logger.Level.INFO, "event=redis-available restarted={0}", restartSeen);
            try {
                recovery.recover(restartSeen);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event=redis-recovery-failed error=\"{0}\" retry=next-check", e.getMessage());
                available = false;
                return;
            }
            recoveryDue = false;
            restartSeen = false;
        }
        available = true;
    }

    /** The run id, asking a second time on a fresh connection after a fast failure; empty when Redis does not answer. */
    private Optional<String> runId() {
        RuntimeException failure;
        try {
            return Optional.of(runIdOf(redis.info("server")));
        } catch (RuntimeException e) {
            if (poolExhausted(e)) {
                // every pooled connection is busy (a connect storm): Redis is answering them, so nothing changed
                return runId;
            }
            failure = e;
        }
        dropIdleConnections.run();
        if (!timedOut(failure)) {
            try {
                return Optional.of(runIdOf(redis.info("server")));
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (available) {
            LOG.log(System.Logger.Level.WARNING, "event=redis-unavailable error=\"{0}\"", failure.getMessage());
        }
        return Optional.empty();
    }

    /** The pool had no connection to lend within its wait (commons-pool's {@link NoSuchElementException}). */
    private static boolean poolExhausted(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchElementException) {
                return true;
            }
        }
        return false;
    }

    /** A frozen Redis answers nothing within the timeout: asking again would only hold the scheduler thread longer. */
    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String runIdOf(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return "unknown";
    }
}
