package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Advisory byte-range locks owned by open file descriptions, as Linux's OFD locks decide conflicts:
 * a shared lock conflicts with an exclusive one of another owner over any common byte, an exclusive
 * one with any lock of another owner; locks of one owner never conflict with each other. Locks are
 * released explicitly or when their description's last reference goes (the last descriptor closed
 * and no mapping left).
 *
 * <p>This is the mechanism FileChannel locks need; the fcntl record-lock interface (process-owned
 * locks released by any close, range splitting and merging, F_GETLK, EDEADLK) is not implemented
 * yet: see docs/DIFFERENCES.md. One monitor for the whole Vfs; it is a leaf in the lock order
 * (nothing else is acquired while it is held).
 */
final class LockTable {
    /**
     * One held lock: {@code [start, end)}; {@code end} is {@link Long#MAX_VALUE} for "to the end,
     * however large".
     */
    record Range(OpenFile owner, long start, long end, boolean shared) {
        boolean overlaps(long s, long e) {
            return start < e && s < end;
        }

        boolean conflictsWith(OpenFile other, long s, long e, boolean otherShared) {
            return owner != other && overlaps(s, e) && !(shared && otherShared);
        }
    }

    private final ReentrantLock monitor = new ReentrantLock();
    private final Condition changed = monitor.newCondition();

    @GuardedBy("monitor")
    private final Map<Inode, List<Range>> locks = new IdentityHashMap<>();

    /** Takes the lock if nothing conflicts; returns false otherwise. */
    boolean tryLock(OpenFile owner, long start, long end, boolean shared) {
        monitor.lock();
        try {
            if (conflict(owner, start, end, shared)) {
                return false;
            }
            add(owner, start, end, shared);
            return true;
        } finally {
            monitor.unlock();
        }
    }

    /**
     * Waits until the lock can be taken, then takes it. Gives up (false) when {@code stillWanted}
     * turns false (the owner was closed), or throws InterruptedException.
     */
    boolean lock(
            OpenFile owner,
            long start,
            long end,
            boolean shared,
            java.util.function.BooleanSupplier stillWanted)
            throws InterruptedException {
        monitor.lockInterruptibly();
        try {
            while (conflict(owner, start, end, shared)) {
                if (!stillWanted.getAsBoolean()) {
                    return false;
                }
                changed.await(100, TimeUnit.MILLISECONDS); // also woken at once by every unlock
            }
            if (!stillWanted.getAsBoolean()) {
                return false;
            }
            add(owner, start, end, shared);
            return true;
        } finally {
            monitor.unlock();
        }
    }

    @GuardedBy("monitor")
    private void add(OpenFile owner, long start, long end, boolean shared) {
        locks.computeIfAbsent(owner.inode, k -> new ArrayList<>(2))
                .add(new Range(owner, start, end, shared));
    }

    @GuardedBy("monitor")
    private boolean conflict(OpenFile owner, long start, long end, boolean shared) {
        List<Range> held = locks.get(owner.inode);
        if (held != null) {
            for (Range r : held) {
                if (r.conflictsWith(owner, start, end, shared)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Releases {@code owner}'s lock on exactly {@code [start, end)}; false if it held none. */
    boolean unlock(OpenFile owner, long start, long end) {
        monitor.lock();
        try {
            List<Range> held = locks.get(owner.inode);
            boolean removed =
                    held != null
                            && held.removeIf(
                                    r -> r.owner == owner && r.start == start && r.end == end);
            cleanUp(owner.inode, held);
            changed.signalAll();
            return removed;
        } finally {
            monitor.unlock();
        }
    }

    /** Releases every lock of {@code owner} (its last reference went). */
    void releaseAll(OpenFile owner) {
        monitor.lock();
        try {
            List<Range> held = locks.get(owner.inode);
            if (held != null) {
                for (Iterator<Range> it = held.iterator(); it.hasNext(); ) {
                    if (it.next().owner == owner) {
                        it.remove();
                    }
                }
                cleanUp(owner.inode, held);
            }
            changed.signalAll();
        } finally {
            monitor.unlock();
        }
    }

    /** Wakes every waiter, e.g. so one whose owner was closed can give up. */
    void wakeAll() {
        monitor.lock();
        try {
            changed.signalAll();
        } finally {
            monitor.unlock();
        }
    }

    @GuardedBy("monitor")
    private void cleanUp(Inode inode, List<Range> held) {
        if (held != null && held.isEmpty()) {
            locks.remove(inode);
        }
    }

    /** The locks held on {@code inode}, for tests and invariant checks. */
    List<Range> held(Inode inode) {
        monitor.lock();
        try {
            return List.copyOf(locks.getOrDefault(inode, List.of()));
        } finally {
            monitor.unlock();
        }
    }
}
