package io.pagevfs.core;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The content of one regular file: pages of its volume's geometry, charged to the volume's {@link
 * PagePool}. Implementations hold pages on the Java heap ({@link HeapPageStore}) or, once a file is
 * memory-mapped, in host shared memory.
 *
 * <p>Host-memory stores report host I/O failures as IOException (the caller turns them into EIO).
 * The store does not know the file's size; {@link RegularFile} does, and only calls with ranges it
 * has checked. Invariant: no page is held at or beyond {@code pagesFor(size)}, and every byte at or
 * beyond {@code size} in the last page is zero, so growing a file always exposes zeros. The owning
 * inode's monitor guards every call.
 */
interface PageStore {
    /** Copies {@code len} bytes from {@code pos} into {@code dst}; holes read as zeros. */
    void read(long pos, ByteBuffer dst, int len) throws IOException;

    /**
     * Writes all of {@code src} at {@code pos}, or nothing: returns false, having changed nothing,
     * when the pool cannot supply the pages the write needs.
     */
    boolean write(long pos, ByteBuffer src) throws IOException;

    /** Drops the pages wholly beyond {@code newSize} and zeroes the tail of the last page. */
    void truncate(long newSize) throws IOException;

    /** The number of pages held (not holes). */
    long pagesHeld();

    /**
     * Returns every page to the pool, which may reuse them for other files; the store is empty
     * afterwards. Called only once nothing can reach the content any more: the file has no name and
     * is not open, or the Vfs is closing.
     */
    void releaseAll();
}
