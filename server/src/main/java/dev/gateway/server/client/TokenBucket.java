package dev.gateway.server.client;

/**
 * The per-socket rate limit of PROTOCOL section 4: a token bucket refilled at {@code ratePerSecond} and holding
 * twice that, so short bursts pass. Every frame takes a token, pings and bad frames included. It also tracks
 * whether frames were refused in each of several consecutive seconds, the signal to close the socket (4429).
 * <p>
 * Not thread-safe: one socket's frames arrive on its one reader thread.
 */
public final class TokenBucket {
    private final double ratePerMilli;
    private final double capacity;
    private final int persistentSeconds;
    private double tokens;
    private long lastRefillMillis;
    private long lastRefusedSecond = Long.MIN_VALUE;
    private int refusedSecondsInARow;

    /**
     * @param persistentSeconds how many consecutive seconds with refusals make {@link #isPersistentlyExceeded()}
     */
    public TokenBucket(int ratePerSecond, int persistentSeconds, long nowMillis) {
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.capacity = 2.0 * ratePerSecond;
        this.persistentSeconds = persistentSeconds;
        this.tokens = capacity;
        this.lastRefillMillis = nowMillis;
    }

    /** Takes one token; false when the bucket is empty (the frame is refused). */
    public boolean tryTake(long nowMillis) {
        if (nowMillis > lastRefillMillis) {
            tokens = Math.min(capacity, tokens + (nowMillis - lastRefillMillis) * ratePerMilli);
            lastRefillMillis = nowMillis;
        }
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        long second = nowMillis / 1000;
        if (second != lastRefusedSecond) {
            refusedSecondsInARow = second == lastRefusedSecond + 1 ? refusedSecondsInARow + 1 : 1;
            lastRefusedSecond = second;
        }
        return false;
    }

    /** True when frames were refused in each of the last {@code persistentSeconds} seconds. */
    public boolean isPersistentlyExceeded() {
        return refusedSecondsInARow >= persistentSeconds;
    }
}
