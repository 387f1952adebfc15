package io.pagevfs.core;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The source of file timestamps, in nanoseconds since the epoch. Inject one to replay a run. */
@FunctionalInterface
public interface FileClock {
    long nowNanos();

    /** The system clock, at the resolution the JDK's {@link Instant#now()} gives. */
    static FileClock system() {
        return () -> {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /**
     * A clock that starts at {@code startNanos} and advances by {@code stepNanos} on every read.
     */
    static FileClock ticking(long startNanos, long stepNanos) {
        AtomicLong now = new AtomicLong(startNanos);
        return () -> now.getAndAdd(stepNanos);
    }

    /** A clock that always reads {@code nanos}. */
    static FileClock fixed(long nanos) {
        return () -> nanos;
    }
}
