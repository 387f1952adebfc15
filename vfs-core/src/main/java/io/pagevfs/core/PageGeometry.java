package io.pagevfs.core;

import com.google.common.base.Preconditions;

/**
 * The page size of a volume or address space and the only place page arithmetic lives.
 *
 * <p>A page size is a power of two from 512 B to 64 KiB. Positions and lengths are non-negative
 * {@code long}s; methods that could overflow near {@link Long#MAX_VALUE} say how they avoid it.
 */
public final class PageGeometry {
    public static final int MIN_PAGE_SIZE = 512;
    public static final int MAX_PAGE_SIZE = 64 * 1024;

    /** 4 KiB pages, the default. */
    public static final PageGeometry DEFAULT = of(4096);

    private final int shift;
    private final int size;
    private final long mask;

    private PageGeometry(int shift) {
        this.shift = shift;
        this.size = 1 << shift;
        this.mask = size - 1L;
    }

    /** The geometry for {@code pageSize}, a power of two from 512 to 65536. */
    public static PageGeometry of(int pageSize) {
        Preconditions.checkArgument(
                pageSize >= MIN_PAGE_SIZE
                        && pageSize <= MAX_PAGE_SIZE
                        && Integer.bitCount(pageSize) == 1,
                "page size must be a power of two from 512 to 65536: %s",
                pageSize);
        return new PageGeometry(Integer.numberOfTrailingZeros(pageSize));
    }

    public int pageSize() {
        return size;
    }

    /** log2 of the page size. */
    public int shift() {
        return shift;
    }

    /** The index of the page holding byte {@code pos}. */
    public long pageIndex(long pos) {
        return pos >>> shift;
    }

    /** The offset of byte {@code pos} within its page. */
    public int offsetInPage(long pos) {
        return (int) (pos & mask);
    }

    /** The position of the first byte of page {@code index}. */
    public long pageStart(long index) {
        return index << shift;
    }

    /** {@code pos} rounded down to a page boundary. */
    public long roundDown(long pos) {
        return pos & ~mask;
    }

    /**
     * {@code pos} rounded up to a page boundary. Saturates at the last page boundary below {@link
     * Long#MAX_VALUE} instead of overflowing.
     */
    public long roundUp(long pos) {
        long down = roundDown(pos);
        if (down == pos) {
            return pos;
        }
        return down > Long.MAX_VALUE - size ? down : down + size;
    }

    public boolean isAligned(long pos) {
        return (pos & mask) == 0;
    }

    /** How many pages a file of {@code size} bytes spans: {@code ceil(size / pageSize)}. */
    public long pagesFor(long size) {
        return (size >>> shift) + ((size & mask) != 0 ? 1 : 0);
    }

    /** How many pages the byte range {@code [pos, pos + len)} touches; 0 when {@code len} is 0. */
    public long pagesSpanned(long pos, long len) {
        if (len == 0) {
            return 0;
        }
        return pageIndex(pos + len - 1) - pageIndex(pos) + 1;
    }

    /** How many bytes of page-held storage {@code pages} pages are. */
    public long bytesFor(long pages) {
        return pages << shift;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageGeometry g && g.shift == shift;
    }

    @Override
    public int hashCode() {
        return shift;
    }

    @Override
    public String toString() {
        return size >= 1024 ? (size / 1024) + " KiB pages" : size + " B pages";
    }
}
