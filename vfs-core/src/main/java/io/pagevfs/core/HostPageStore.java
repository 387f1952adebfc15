package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The content of a file that has been memory-mapped: an unlinked host shared-memory file whose own
 * JDK channel makes the mappings, so every mapping is a genuine {@link MappedByteBuffer} and is
 * coherent with channel I/O through the host page cache.
 *
 * <p>Channel I/O goes through an internal <em>I/O window</em> where it can: a read-write {@link
 * MappedByteBuffer} over the host file's {@code [0, windowEnd)}, so a read or write is a memory
 * copy instead of a pread/pwrite system call plus the JDK's bounce copy for heap buffers (3 to 5
 * times faster for 64 KiB chunks; research/mapping-design.md sections 3.4 and 5). Bytes the window
 * does not cover (host files under {@link #WINDOW_MIN}, anything past {@link #WINDOW_MAX}, growth
 * not yet remapped) use pread/pwrite. The window is remapped when an access misses it and the file
 * has doubled since, or has stopped growing, so an appending writer remaps a logarithmic number of
 * times.
 *
 * <p>Invariants (the truncate guard of research/mapping-design.md, which keeps the JVM alive):
 *
 * <ul>
 *   <li>The host file is never shorter than the end of any live mapping ({@code hostSize >=
 *       liveEnd}), so no mapped page ever lies beyond the host file's end (that would SIGBUS, and
 *       CRC32, Adler32, Deflater or a vectorized mismatch reading it would crash the JVM). A
 *       mapping is live from before the monitor is released after making it until it is
 *       unreachable, or until its {@link HostMapper#accessible} test says it was unmapped (a closed
 *       arena: nothing can touch it any more).
 *   <li>The host file has no holes: {@code [0, hostSize)} is fully allocated (growth is
 *       zero-filled), so touching a mapped page never needs a new tmpfs page and can never fault on
 *       a full /dev/shm; the pages charged to the volume are exactly {@code pagesFor(hostSize)}.
 *   <li>Bytes at or beyond the logical size read as zeros through read(): the cut-off range is
 *       zeroed on shrink, and the stale tail {@code [size, hostSize)} (which a mapping may have
 *       written) is zeroed again before the file grows over it. Beyond {@code hostSize} the file is
 *       a hole.
 *   <li>The I/O window never reaches past the host file's end ({@code windowEnd <= hostSize}): a
 *       shrink below its end drops the window before truncating. The window never leaves this class
 *       and is touched only below {@code hostSize}, under the monitor, so once dropped nothing can
 *       reach it (the GC unmaps it); it is not a live mapping for the guard above, and since the
 *       host file has no holes, touching it never needs a new tmpfs page.
 * </ul>
 *
 * All methods run under the owning inode's monitor.
 */
final class HostPageStore implements PageStore {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024);

    /**
     * Host files smaller than this get no I/O window: mapping costs a few microseconds plus a page
     * fault per page, more than pread/pwrite of a small file saves.
     */
    static final long WINDOW_MIN = 64 * 1024;

    /** The window covers at most the first GiB of the host file. */
    static final long WINDOW_MAX = 1L << 30;

    private final PagePool pool;
    private final PageGeometry geometry;
    private final FileChannel host;

    @GuardedBy("inode")
    private long size;

    @GuardedBy("inode")
    private long hostSize;

    @GuardedBy("inode")
    private long charged;

    /**
     * The ends of the live mappings (those not yet seen to die) that stay accessible until
     * unreachable, as a multiset (end to count), so {@link #liveEnd} stays cheap however many
     * mappings pile up between two GCs and reaping them is not quadratic. A mapping's {@link
     * MappingRef#store} says it is counted here.
     */
    @GuardedBy("inode")
    private final TreeMap<Long, Integer> ends = new TreeMap<>();

    /** The live mappings that may be unmapped before they are unreachable (closeable arenas). */
    @GuardedBy("inode")
    private final Set<MappingRef> closeable = new HashSet<>();

    @GuardedBy("inode")
    private boolean released;

    /** The I/O window over {@code [0, windowEnd)}, or null (then windowEnd is 0). */
    @GuardedBy("inode")
    private @Nullable MappedByteBuffer window;

    @GuardedBy("inode")
    private long windowEnd;

    /** The host size at the last access that missed the window, or -1. */
    @GuardedBy("inode")
    private long missedAt = -1;

    private HostPageStore(PagePool pool, FileChannel host) {
        this.pool = pool;
        this.geometry = pool.geometry();
        this.host = host;
    }

    /**
     * Moves a file's content from the heap to a new host file. Returns null, having changed
     * nothing, if the volume cannot be charged for the whole (no longer sparse) file.
     */
    static HostPageStore promote(PagePool pool, HostMemory memory, HeapPageStore heap, long size)
            throws IOException {
        PageGeometry g = pool.geometry();
        long need = g.pagesFor(size);
        long had = heap == null ? 0 : heap.pagesHeld();
        if (need > had && !pool.reserve(need - had)) {
            return null;
        }
        FileChannel ch = null;
        try {
            ch = memory.create();
            HostPageStore store = new HostPageStore(pool, ch);
            store.copyFrom(heap, size);
            store.size = size;
            store.hostSize = size;
            store.charged = need;
            if (heap != null) {
                heap.detachAll();
            }
            if (had > need) {
                pool.release(had - need);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            if (need > had) {
                pool.release(need - had);
            }
            if (ch != null) {
                ch.close();
            }
            throw e;
        }
    }

    /**
     * Writes {@code [0, size)}: the heap's pages where it holds them, zeros elsewhere (no holes).
     */
    private void copyFrom(HeapPageStore heap, long size) throws IOException {
        long[] next = {0};
        IOException[] failure = {null};
        if (heap != null) {
            heap.forEachPage(
                    (index, page) -> {
                        if (failure[0] != null) {
                            return;
                        }
                        try {
                            long start = geometry.pageStart(index);
                            zero(next[0], start);
                            int n = (int) Math.min(page.length, size - start);
                            writeFully(ByteBuffer.wrap(page, 0, n), start);
                            next[0] = start + n;
                        } catch (IOException e) {
                            failure[0] = e;
                        }
                    });
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        zero(next[0], size);
    }

    /** Writes all of {@code src} at {@code pos}, which lies below the host file's end. */
    private void writeFully(ByteBuffer src, long pos) throws IOException {
        int len = src.remaining();
        MappedByteBuffer w = window(pos + len);
        int viaWindow = (int) Math.max(0, Math.min(len, windowEnd - pos));
        if (viaWindow > 0) {
            w.put((int) pos, src, src.position(), viaWindow);
            src.position(src.position() + viaWindow);
            pos += viaWindow;
        }
        while (src.hasRemaining()) {
            pos += host.write(src, pos);
        }
    }

    /**
     * The I/O window, remapped first if the access ending at {@code accessEnd} reaches past it into
     * host bytes a new window could cover and the file has doubled since the window was made or has
     * not grown since the previous such miss. May be null, or not cover the access.
     */
    private @Nullable MappedByteBuffer window(long accessEnd) {
        if (accessEnd <= windowEnd) {
            return window;
        }
        long want = Math.min(hostSize, WINDOW_MAX);
        if (want < WINDOW_MIN || want <= windowEnd) {
            return window;
        }
        boolean remap = window == null || want >= 2 * windowEnd || hostSize == missedAt;
        missedAt = hostSize;
        if (remap) {
            try {
                window = host.map(FileChannel.MapMode.READ_WRITE, 0, want);
                windowEnd = want;
            } catch (IOException e) {
                // no address space now: pread/pwrite serve, and a later miss tries again
            }
        }
        return window;
    }

    /** Forgets the window (before the host file shrinks below it, or closes). */
    private void dropWindow() {
        window = null;
        windowEnd = 0;
        missedAt = -1;
    }

    /** Writes zeros over {@code [from, to)} of the host file. */
    private void zero(long from, long to) throws IOException {
        while (from < to) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), to - from));
            from += host.write(z, from);
        }
    }

    @Override
    public void read(long pos, ByteBuffer dst, int len) throws IOException {
        int fromHost = (int) Math.max(0, Math.min(len, hostSize - pos));
        if (fromHost > 0) {
            MappedByteBuffer w = window(pos + fromHost);
            int viaWindow = (int) Math.max(0, Math.min(fromHost, windowEnd - pos));
            if (viaWindow > 0) {
                dst.put(dst.position(), w, (int) pos, viaWindow);
                dst.position(dst.position() + viaWindow);
            }
            int rest = fromHost - viaWindow;
            if (rest > 0) {
                long at = pos + viaWindow;
                ByteBuffer part = dst.slice().limit(rest);
                while (part.hasRemaining()) {
                    int n = host.read(part, at + part.position());
                    if (n < 0) {
                        throw new IOException("host file shorter than its recorded size");
                    }
                }
                dst.position(dst.position() + rest);
            }
        }
        for (int i = fromHost; i < len; i++) {
            dst.put((byte) 0);
        }
    }

    @Override
    public boolean write(long pos, ByteBuffer src) throws IOException {
        int len = src.remaining();
        long end = pos + len;
        long oldHost = hostSize;
        if (end > hostSize && !growHost(end)) {
            return false;
        }
        if (pos > size) {
            zero(size, Math.min(pos, oldHost)); // the stale tail a mapping may have written
        }
        writeFully(src, pos);
        size = Math.max(size, end);
        return true;
    }

    /**
     * Grows the host file to {@code newHost}, charged and zero-filled. Returns false, having
     * changed nothing, if the volume or the host has no room.
     */
    private boolean growHost(long newHost) throws IOException {
        long pages = geometry.pagesFor(newHost) - charged;
        if (pages > 0 && !pool.reserve(pages)) {
            return false;
        }
        try {
            zero(hostSize, newHost);
        } catch (IOException e) {
            host.truncate(hostSize);
            if (pages > 0) {
                pool.release(pages);
            }
            if (String.valueOf(e.getMessage()).contains("No space left")) {
                return false;
            }
            throw e;
        }
        charged += Math.max(0, pages);
        hostSize = newHost;
        return true;
    }

    @Override
    public void truncate(long newSize) throws IOException {
        if (newSize < size) {
            long keep = Math.max(newSize, liveEnd());
            zero(newSize, Math.min(keep, hostSize));
            shrinkHost(keep);
        } else if (newSize > size) {
            zero(size, Math.min(newSize, hostSize));
        }
        size = newSize;
    }

    /** Shrinks the host file to {@code keep} if it is longer, returning the pages' charge. */
    private void shrinkHost(long keep) throws IOException {
        if (keep < hostSize) {
            if (keep < windowEnd) {
                dropWindow();
            }
            host.truncate(keep);
            hostSize = keep;
            long pages = geometry.pagesFor(keep);
            pool.release(charged - pages);
            charged = pages;
        }
    }

    /**
     * The end of the furthest mapping that can still be accessed (a mapping whose arena was closed
     * cannot, even before the kernel has reaped it).
     */
    private long liveEnd() {
        long end = ends.isEmpty() ? 0 : ends.lastKey();
        for (MappingRef r : closeable) {
            if (r.end > end && r.accessible()) {
                end = r.end;
            }
        }
        return end;
    }

    /**
     * Maps {@code [offset, offset + length)} of the host file in {@code mode} with {@code mapper},
     * growing the host file (charged, zero-filled) to cover it first. Returns null when the volume
     * or host has no room. The caller registers the mapping before releasing the monitor.
     */
    <T> @Nullable T map(FileChannel.MapMode mode, long offset, long length, HostMapper<T> mapper)
            throws IOException {
        long end = offset + length;
        if (end > hostSize && !growHost(end)) {
            return null;
        }
        return Objects.requireNonNull(mapper.map(host, mode, offset, length), "mapping");
    }

    /** Counts a new mapping of this file as live (once: the kernel registers each mapping once). */
    void addLive(MappingRef ref) {
        if (ref.store != null) {
            return;
        }
        ref.store = this;
        if (ref.closeable()) {
            closeable.add(ref);
        } else {
            ends.merge(ref.end, 1, Integer::sum);
        }
    }

    /** A mapping died: forget it and shrink the host file lazily down to what is still needed. */
    void forget(MappingRef ref) throws IOException {
        if (ref.store != this) {
            return;
        }
        ref.store = null;
        if (ref.closeable()) {
            closeable.remove(ref);
        } else {
            ends.computeIfPresent(ref.end, (end, n) -> n == 1 ? null : n - 1);
        }
        if (!released && hostSize > size) { // else there is nothing to shrink
            shrinkHost(Math.max(size, liveEnd()));
        }
    }

    @Override
    public long pagesHeld() {
        return charged;
    }

    /**
     * Closes the host file (live mappings stay valid: the kernel keeps their pages) and returns the
     * charge.
     */
    @Override
    public void releaseAll() {
        if (released) {
            return;
        }
        released = true;
        dropWindow();
        pool.release(charged);
        charged = 0;
        try {
            host.close();
        } catch (IOException e) {
            // nothing more to release: the descriptor is gone either way
        }
    }

    /** For invariant checks. */
    boolean guardHolds() {
        return released
                || (hostSize >= liveEnd()
                        && windowEnd <= hostSize
                        && charged == geometry.pagesFor(hostSize));
    }
}
