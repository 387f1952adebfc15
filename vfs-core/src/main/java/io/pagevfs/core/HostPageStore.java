package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * The content of a file that has been memory-mapped: an unlinked host shared-memory file whose own
 * JDK channel makes the mappings, so every mapping is a genuine {@link MappedByteBuffer} and is
 * coherent with channel I/O through the host page cache.
 *
 * <p>Invariants (the truncate guard of research/mapping-design.md, which keeps the JVM alive):
 *
 * <ul>
 *   <li>The host file is never shorter than the end of any live mapping ({@code hostSize >=
 *       liveEnd}), so no mapped page ever lies beyond the host file's end (that would SIGBUS, and
 *       CRC32, Adler32, Deflater or a vectorized mismatch reading it would crash the JVM).
 *   <li>The host file has no holes: {@code [0, hostSize)} is fully allocated (growth is
 *       zero-filled), so touching a mapped page never needs a new tmpfs page and can never fault on
 *       a full /dev/shm; the pages charged to the volume are exactly {@code pagesFor(hostSize)}.
 *   <li>Bytes at or beyond the logical size read as zeros through read(): the cut-off range is
 *       zeroed on shrink, and the stale tail {@code [size, hostSize)} (which a mapping may have
 *       written) is zeroed again before the file grows over it. Beyond {@code hostSize} the file is
 *       a hole.
 * </ul>
 *
 * All methods run under the owning inode's monitor.
 */
final class HostPageStore implements PageStore {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024);

    private final PagePool pool;
    private final PageGeometry geometry;
    private final FileChannel host;

    @GuardedBy("inode")
    private long size;

    @GuardedBy("inode")
    private long hostSize;

    @GuardedBy("inode")
    private long charged;

    /** The mappings of this file that have not yet been seen to die. */
    @GuardedBy("inode")
    private final Set<MappingRef> live = new HashSet<>();

    @GuardedBy("inode")
    private boolean released;

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

    private void writeFully(ByteBuffer src, long pos) throws IOException {
        while (src.hasRemaining()) {
            pos += host.write(src, pos);
        }
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
            ByteBuffer part = dst.slice().limit(fromHost);
            while (part.hasRemaining()) {
                int n = host.read(part, pos + part.position());
                if (n < 0) {
                    throw new IOException("host file shorter than its recorded size");
                }
            }
            dst.position(dst.position() + fromHost);
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
            host.truncate(keep);
            hostSize = keep;
            long pages = geometry.pagesFor(keep);
            pool.release(charged - pages);
            charged = pages;
        }
    }

    private long liveEnd() {
        long end = 0;
        for (MappingRef r : live) {
            end = Math.max(end, r.end);
        }
        return end;
    }

    /**
     * Maps {@code [offset, offset + length)} of the host file in {@code mode}, growing the host
     * file (charged, zero-filled) to cover it. Returns null when the volume or host has no room.
     */
    MappedByteBuffer map(FileChannel.MapMode mode, long offset, int length) throws IOException {
        long end = offset + length;
        if (end > hostSize && !growHost(end)) {
            return null;
        }
        return host.map(mode, offset, length);
    }

    void addLive(MappingRef ref) {
        live.add(ref);
    }

    /** A mapping died: forget it and shrink the host file lazily down to what is still needed. */
    void forget(MappingRef ref) throws IOException {
        if (live.remove(ref) && !released) {
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
        return released || (hostSize >= liveEnd() && charged == geometry.pagesFor(hostSize));
    }
}
