package dev.gateway.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.hamcrest.Matchers.is;

import org.hamcrest.Matcher;
import org.hamcrest.StringDescription;

/**
 * Bounded polling for state that another process changes (Redis records, health). Every wait ends within its
 * timeout (10 s unless given), and a failure shows the last value seen against the expectation.
 */
public final class Poll {
    /** The longest any test waits for one thing (STYLE: every wait bounded, 10 s or less). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final long INTERVAL_MS = 50;

    private Poll() {
    }

    /** Waits until {@code supplier}'s value matches, and returns it. Exceptions from the supplier count as no match. */
    public static <T> T eventually(String what, Supplier<T> supplier, Matcher<? super T> matcher) {
        return eventually(what, supplier, matcher, DEFAULT_TIMEOUT);
    }

    public static <T> T eventually(String what, Supplier<T> supplier, Matcher<? super T> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastFailure = null;
        boolean sawValue = false;
        while (true) {
            try {
                last = supplier.get();
                sawValue = true;
                lastFailure = null;
                if (matcher.matches(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            sleep(INTERVAL_MS);
        }
        StringDescription description = new StringDescription();
        description.appendText(what).appendText(" within ").appendText(timeout.toString())
                .appendText("\nExpected: ").appendDescriptionOf(matcher);
        if (sawValue) {
            description.appendText("\n     but: ");
            matcher.describeMismatch(last, description);
        }
        AssertionError error = new AssertionError(description.toString());
        if (lastFailure != null) {
            error.addSuppressed(lastFailure);
        }
        throw error;
    }

    /** Waits until the condition holds (within 10 s). */
    public static void until(String what, BooleanSupplier condition) {
        eventually(what, condition::getAsBoolean, is(true));
    }

    /** Asserts that the value keeps matching for the whole duration (e.g. "no record appears"). */
    public static <T> void during(String what, Duration duration, Supplier<T> supplier, Matcher<? super T> matcher) {
        long deadline = System.nanoTime() + duration.toNanos();
        do {
            T value = supplier.get();
            if (!matcher.matches(value)) {
                StringDescription description = new StringDescription();
                description.appendText(what).appendText(" for ").appendText(duration.toString())
                        .appendText("\nExpected: ").appendDescriptionOf(matcher).appendText("\n     but: ");
                matcher.describeMismatch(value, description);
                throw new AssertionError(description.toString());
            }
            sleep(INTERVAL_MS);
        } while (System.nanoTime() < deadline);
    }

    /**
     * Lets wall-clock time pass, for the few checks that need a later timestamp (not to wait for a state: use
     * {@link #eventually} for that).
     */
    public static void pause(Duration duration) {
        sleep(duration.toMillis());
    }

    /** Sleeps, turning an interrupt into a test failure (for the helpers' own short retry loops). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
