package io.pagevfs.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** File content as a sparse {@link PageTable} of {@code byte[]} pages on the Java heap. */
final class HeapPageStore implements PageStore {
    private static final byte[] ZEROS = new byte[PageGeometry.MAX_PAGE_SIZE];

    private final PagePool pool;
    private final PageGeometry geometry;
    private final PageTable pages = new PageTable();

    HeapPageStore(PagePool pool) {
        this.pool = pool;
        this.geometry = pool.geometry();
    }

    @Override
    public void read(long pos, ByteBuffer dst, int len) {
        while (len > 0) {
            int off = geometry.offsetInPage(pos);
            int n = Math.min(len, geometry.pageSize() - off);
            byte[] page = pages.get(geometry.pageIndex(pos));
            dst.put(page == null ? ZEROS : page, page == null ? 0 : off, n);
            pos += n;
            len -= n;
        }
    }

    @Override
    public boolean write(long pos, ByteBuffer src) {
        int len = src.remaining();
        if (len == 0) {
            return true;
        }
        if (!pool.reserve(missingPages(pos, len))) {
            return false;
        }
        while (len > 0) {
            int off = geometry.offsetInPage(pos);
            int n = Math.min(len, geometry.pageSize() - off);
            src.get(pageAt(geometry.pageIndex(pos), n == geometry.pageSize()), off, n);
            pos += n;
            len -= n;
        }
        return true;
    }

    private long missingPages(long pos, int len) {
        long missing = 0;
        long last = geometry.pageIndex(pos + len - 1);
        for (long i = geometry.pageIndex(pos); i <= last; i++) {
            if (pages.get(i) == null) {
                missing++;
            }
        }
        return missing;
    }

    /**
     * The page at {@code index}, allocated (already charged) if it was a hole: zeroed, unless the
     * caller is about to overwrite {@code whole} of it.
     */
    private byte[] pageAt(long index, boolean whole) {
        byte[] page = pages.get(index);
        if (page == null) {
            page = whole ? pool.newPageToOverwrite() : pool.newPage();
            pages.put(index, page);
        }
        return page;
    }

    @Override
    public void truncate(long newSize) {
        byte[] last = pages.get(geometry.pageIndex(newSize));
        if (last != null && !geometry.isAligned(newSize)) {
            Arrays.fill(last, geometry.offsetInPage(newSize), last.length, (byte) 0);
        }
        pool.release(pages.truncate(geometry.pagesFor(newSize)));
    }

    @Override
    public long pagesHeld() {
        return pages.count();
    }

    @Override
    public void releaseAll() {
        pages.forEach((index, page) -> pool.recycle(page));
        pool.release(pages.truncate(0));
    }

    /** Visits the held pages in index order (for promotion to host memory). */
    void forEachPage(PageTable.PageVisitor visitor) {
        pages.forEach(visitor);
    }

    /**
     * Drops every page without returning its charge: promotion moves the charge to the host store.
     */
    void detachAll() {
        pages.truncate(0);
    }

    /**
     * Whether every byte at or beyond {@code size} reads zero and no page lies wholly beyond it.
     */
    boolean zeroBeyond(long size) {
        boolean[] ok = {true};
        long firstBeyond = geometry.pagesFor(size);
        pages.forEach(
                (index, page) -> {
                    if (index >= firstBeyond) {
                        ok[0] = false;
                    } else if (index == firstBeyond - 1 && !geometry.isAligned(size)) {
                        for (int i = geometry.offsetInPage(size); i < page.length; i++) {
                            ok[0] &= page[i] == 0;
                        }
                    }
                });
        return ok[0];
    }
}
