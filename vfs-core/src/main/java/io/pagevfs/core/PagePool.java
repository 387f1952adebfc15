package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A volume's page allocator and memory budget: hands out zeroed pages of the volume's geometry and
 * counts the pages held against the volume's memory limit.
 *
 * <p>Invariant: {@link #pagesInUse()} equals the sum of {@link PageStore#pagesHeld()} over the
 * volume's live files (checked by {@code Vfs.checkInvariants}).
 *
 * <p>Pages freed by deleted files are kept for reuse, up to {@link #CACHE_BYTES}, so that a
 * workload that creates and deletes files does not allocate a page (and leave one to the garbage
 * collector) each time, as Jimfs's block cache does. Cached pages are free: they are not charged to
 * the budget. A page is handed back only when nothing refers to it any more.
 */
final class PagePool {
    /** The most memory, in bytes, of freed pages kept for reuse. */
    static final int CACHE_BYTES = 256 * 1024;

    private final PageGeometry geometry;
    private final long limitPages;
    private final AtomicLong used = new AtomicLong();

    @GuardedBy("this")
    private final byte[][] cache;

    @GuardedBy("this")
    private int cached;

    PagePool(PageGeometry geometry, long limitBytes) {
        this.geometry = geometry;
        this.limitPages = limitBytes / geometry.pageSize();
        this.cache = new byte[Math.max(1, CACHE_BYTES / geometry.pageSize())][];
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
        byte[] page = reuse();
        if (page == null) {
            return new byte[geometry.pageSize()];
        }
        Arrays.fill(page, (byte) 0);
        return page;
    }

    /**
     * A page whose content is undefined, for a caller that overwrites all of it at once; its charge
     * must have been {@linkplain #reserve reserved}.
     */
    byte[] newPageToOverwrite() {
        byte[] page = reuse();
        return page != null ? page : new byte[geometry.pageSize()];
    }

    private synchronized byte @Nullable [] reuse() {
        if (cached == 0) {
            return null;
        }
        byte[] page = cache[--cached];
        cache[cached] = null;
        return page;
    }

    /**
     * Takes back a page nothing refers to any more (its charge is {@linkplain #release released}
     * separately), keeping it for reuse if the cache has room.
     */
    synchronized void recycle(byte[] page) {
        if (cached < cache.length) {
            cache[cached++] = page;
        }
    }
}
