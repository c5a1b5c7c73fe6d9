package dev.gateway.server.client;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class TokenBucketTest {
    private static final int PERSISTENT_SECONDS = 10;

    @Test
    void aFullBucketLetsABurstOfTwiceTheRatePass() {
        TokenBucket bucket = new TokenBucket(50, PERSISTENT_SECONDS, 0);

        assertThat(takeAll(bucket, 0), is(100));
    }

    @Test
    void theFrameAfterTheBurstIsRefused() {
        TokenBucket bucket = new TokenBucket(50, PERSISTENT_SECONDS, 0);
        takeAll(bucket, 0);

        assertThat(bucket.tryTake(0), is(false));
    }

    @Test
    void theBucketRefillsAtTheRatePerSecond() {
        TokenBucket bucket = new TokenBucket(50, PERSISTENT_SECONDS, 0);
        takeAll(bucket, 0);

        assertThat(takeAll(bucket, 1_000), is(50));
    }

    @Test
    void theBucketRefillsInProportionToTheTimePassed() {
        TokenBucket bucket = new TokenBucket(50, PERSISTENT_SECONDS, 0);
        takeAll(bucket, 0);

        assertThat(bucket.tryTake(10), is(false));
        assertThat(bucket.tryTake(30), is(true));
        assertThat(bucket.tryTake(30), is(false));
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(50, PERSISTENT_SECONDS, 0);
        takeAll(bucket, 0);

        assertThat(takeAll(bucket, 3_600_000), is(100));
    }

    @Test
    void aSteadyRateAtTheLimitIsNeverRefused() {
        TokenBucket bucket = new TokenBucket(50, PERSISTENT_SECONDS, 0);
        boolean refused = false;
        for (long now = 0; now < 60_000; now += 20) {
            refused |= !bucket.tryTake(now);
        }

        assertThat(refused, is(false));
        assertThat(bucket.isPersistentlyExceeded(), is(false));
    }

    @Test
    void refusalsInTenConsecutiveSecondsAreAPersistentExceed() {
        TokenBucket bucket = new TokenBucket(5, PERSISTENT_SECONDS, 0);
        for (int second = 0; second < 10; second++) {
            exceedWithin(bucket, second);
        }

        assertThat(bucket.isPersistentlyExceeded(), is(true));
    }

    @Test
    void refusalsInNineConsecutiveSecondsAreNotYetAPersistentExceed() {
        TokenBucket bucket = new TokenBucket(5, PERSISTENT_SECONDS, 0);
        for (int second = 0; second < 9; second++) {
            exceedWithin(bucket, second);
        }

        assertThat(bucket.isPersistentlyExceeded(), is(false));
    }

    @Test
    void manyRefusalsWithinOneSecondAreNotAPersistentExceed() {
        TokenBucket bucket = new TokenBucket(5, PERSISTENT_SECONDS, 0);
        takeAll(bucket, 0);
        for (int i = 0; i < 10_000; i++) {
            bucket.tryTake(500);
        }

        assertThat(bucket.isPersistentlyExceeded(), is(false));
    }

    @Test
    void aSecondWithoutRefusalsStartsTheCountAgain() {
        TokenBucket bucket = new TokenBucket(5, PERSISTENT_SECONDS, 0);
        for (int second = 0; second < 9; second++) {
            exceedWithin(bucket, second);
        }
        assertThat(bucket.tryTake(9_500), is(true));
        for (int second = 10; second < 19; second++) {
            exceedWithin(bucket, second);
        }
        assertThat(bucket.isPersistentlyExceeded(), is(false));

        exceedWithin(bucket, 19);

        assertThat(bucket.isPersistentlyExceeded(), is(true));
    }

    @Test
    void theConsecutiveSecondsFollowTheClockNotTheBucketsAge() {
        TokenBucket bucket = new TokenBucket(5, PERSISTENT_SECONDS, 1_700_000_000_500L);
        for (long second = 1_700_000_001L; second < 1_700_000_011L; second++) {
            exceedWithin(bucket, second);
        }

        assertThat(bucket.isPersistentlyExceeded(), is(true));
    }

    /** Takes tokens at one instant until the bucket refuses; returns how many it gave. */
    private static int takeAll(TokenBucket bucket, long nowMillis) {
        int taken = 0;
        while (bucket.tryTake(nowMillis)) {
            taken++;
            if (taken > 1_000_000) {
                throw new AssertionError("bucket never ran dry");
            }
        }
        return taken;
    }

    /** Sends more frames than allowed in the given second, so some are refused in it. */
    private static void exceedWithin(TokenBucket bucket, long second) {
        takeAll(bucket, second * 1_000 + 100);
    }
}
