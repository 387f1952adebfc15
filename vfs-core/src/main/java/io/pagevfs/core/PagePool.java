package io.pagevfs.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A volume's page allocator and memory budget: hands out zeroed pages of the volume's geometry and
 * counts the pages held against the volume's memory limit.
 *
 * <p>Invariant: {@link #pagesInUse()} equals the sum of {@link PageStore#pagesHeld()} over the
 * volume's live files (checked by {@code Vfs.checkInvariants}).
 */
final class PagePool {
    private final PageGeometry geometry;
    private final long limitPages;
    private final AtomicLong used = new AtomicLong();

    PagePool(PageGeometry geometry, long limitBytes) {
        this.geometry = geometry;
        this.limitPages = limitBytes / geometry.pageSize();
    }

    PageGeometry geometry() {
        return geometry;
    }

    long limitPages() {
        return limitPages;
    }

    long pagesInUse() {
        return used.get();
    }

    /**
     * Charges {@code pages} to the budget if they fit; returns false and charges nothing if not.
     */
    boolean reserve(long pages) {
        if (pages == 0) {
            return true;
        }
        long now;
        do {
            now = used.get();
            if (pages > limitPages - now) {
                return false;
            }
        } while (!used.compareAndSet(now, now + pages));
        return true;
    }

    void release(long pages) {
        if (pages != 0) {
            used.addAndGet(-pages);
        }
    }

    /** A zeroed page; its charge must have been {@linkplain #reserve reserved}. */
    byte[] newPage() {
        return new byte[geometry.pageSize()];
    }
}
