package dev.gateway.protocol.store;

import java.util.function.BooleanSupplier;

/** Waits for a condition by polling, at most 10 s. */
final class Poll {
    private static final long TIMEOUT_MILLIS = 10_000;

    private Poll() {
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT_MILLIS + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }
}
