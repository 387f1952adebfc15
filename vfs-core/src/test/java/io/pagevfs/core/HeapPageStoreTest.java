package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeapPageStoreTest {
    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** Reads straight from the store, ignoring any file size. */
    private static byte[] read(PageStore s, long pos, int len) throws java.io.IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        s.read(pos, buf, len);
        assertEquals(len, buf.position());
        return buf.array();
    }

    private static boolean write(PageStore s, long pos, byte[] data) throws java.io.IOException {
        ByteBuffer src = ByteBuffer.wrap(data);
        boolean ok = s.write(pos, src);
        assertEquals(ok ? 0 : data.length, src.remaining(), "consumes all or nothing");
        return ok;
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void read_ofAFreshStore_isZerosAndHoldsNothing(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 1 << 20);
        HeapPageStore s = new HeapPageStore(pool);
        assertArrayEquals(new byte[3 * pageSize], read(s, 0, 3 * pageSize));
        assertArrayEquals(new byte[100], read(s, 1L << 40, 100));
        assertEquals(0, s.pagesHeld());
        assertEquals(0, pool.pagesInUse());
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void write_acrossPages_chargesEachTouchedPageOnce(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 1 << 20);
        HeapPageStore s = new HeapPageStore(pool);
        assertTrue(write(s, pageSize - 1, filled(pageSize + 2, 7)));
        assertEquals(3, s.pagesHeld(), "the tail of page 0, all of page 1, the head of page 2");
        assertEquals(3, pool.pagesInUse());
        assertTrue(write(s, pageSize, filled(10, 8)), "rewriting held pages needs no new page");
        assertEquals(3, pool.pagesInUse());
        byte[] back = read(s, pageSize - 2, pageSize + 4);
        assertEquals(0, back[0]);
        assertEquals(7, back[1]);
        assertEquals(8, back[2]);
        assertEquals(8, back[11]);
        assertEquals(7, back[12]);
        assertEquals(7, back[pageSize + 2]);
        assertEquals(0, back[pageSize + 3]);
        assertTrue(s.zeroBeyond(2L * pageSize + 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void read_ofAHoleBetweenWrites_isZeros(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 1 << 20);
        HeapPageStore s = new HeapPageStore(pool);
        write(s, 0, filled(5, 1));
        write(s, 10L * pageSize, filled(5, 2));
        assertEquals(2, s.pagesHeld());
        assertArrayEquals(new byte[pageSize * 9], read(s, pageSize, pageSize * 9));
        byte[] edge = read(s, 10L * pageSize - 1, 3);
        assertArrayEquals(new byte[] {0, 2, 2}, edge);
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void write_withoutRoomForEveryNewPage_changesNothing(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 4L * pageSize);
        HeapPageStore s = new HeapPageStore(pool);
        assertTrue(write(s, 0, filled(2 * pageSize, 1)));
        assertEquals(2, pool.pagesInUse());
        byte[] before = read(s, 0, 6 * pageSize);
        // Needs pages 1 (held), 2, 3 and 4: three new pages, two left.
        assertFalse(write(s, pageSize + 5, filled(3 * pageSize, 9)));
        assertArrayEquals(before, read(s, 0, 6 * pageSize), "no byte changed");
        assertEquals(2, s.pagesHeld());
        assertEquals(2, pool.pagesInUse());
        // Exactly two new pages fit.
        assertTrue(write(s, pageSize + 5, filled(2 * pageSize, 9)));
        assertEquals(4, pool.pagesInUse());
        assertFalse(write(s, 4L * pageSize, filled(1, 3)), "the pool is full");
        assertTrue(write(s, 0, filled(4 * pageSize, 4)), "overwriting held pages still works");
        assertEquals(4, pool.pagesInUse());
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void write_ofNothing_succeedsAndAllocatesNothing(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 0);
        HeapPageStore s = new HeapPageStore(pool);
        assertTrue(write(s, 12345, new byte[0]));
        assertEquals(0, s.pagesHeld());
        assertFalse(write(s, 0, new byte[1]), "a pool of limit 0 has no page");
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void truncate_zeroesTheTailAndFreesPagesBeyond(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 1 << 20);
        HeapPageStore s = new HeapPageStore(pool);
        write(s, 0, filled(4 * pageSize, 0xff));
        long size = pageSize + 100;
        s.truncate(size);
        assertEquals(2, s.pagesHeld());
        assertEquals(2, pool.pagesInUse());
        byte[] all = read(s, 0, 4 * pageSize);
        for (int i = 0; i < all.length; i++) {
            assertEquals(i < size ? (byte) 0xff : 0, all[i], "byte " + i);
        }
        assertTrue(s.zeroBeyond(size));
        // Growing again (by a write further on) exposes the zeros.
        write(s, 3L * pageSize, filled(1, 1));
        assertEquals(0, read(s, size, 1)[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void truncate_toAPageBoundary_keepsWholePagesIntact(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 1 << 20);
        HeapPageStore s = new HeapPageStore(pool);
        write(s, 0, filled(3 * pageSize, 5));
        s.truncate(2L * pageSize);
        assertEquals(2, s.pagesHeld());
        assertArrayEquals(filled(2 * pageSize, 5), read(s, 0, 2 * pageSize));
        assertArrayEquals(new byte[pageSize], read(s, 2L * pageSize, pageSize));
        s.truncate(0);
        assertEquals(0, s.pagesHeld());
        assertEquals(0, pool.pagesInUse());
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void truncate_insideAHole_freesOnlyPagesBeyond(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 1 << 20);
        HeapPageStore s = new HeapPageStore(pool);
        write(s, 0, filled(1, 1));
        write(s, 100L * pageSize, filled(1, 1));
        s.truncate(50L * pageSize + 7);
        assertEquals(1, s.pagesHeld());
        assertEquals(1, pool.pagesInUse());
        assertTrue(s.zeroBeyond(50L * pageSize + 7));
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void releaseAll_returnsEveryPage_andStoresShareTheirPool(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 1 << 20);
        HeapPageStore a = new HeapPageStore(pool);
        HeapPageStore b = new HeapPageStore(pool);
        write(a, 0, filled(3 * pageSize, 1));
        write(b, 1L << 30, filled(pageSize + 1, 1));
        assertEquals(5, pool.pagesInUse());
        a.releaseAll();
        assertEquals(0, a.pagesHeld());
        assertEquals(2, pool.pagesInUse());
        assertArrayEquals(new byte[pageSize], read(a, 0, pageSize));
        b.releaseAll();
        assertEquals(0, pool.pagesInUse());
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void zeroBeyond_detectsABrokenInvariant(int pageSize) throws Exception {
        PagePool pool = new PagePool(PageGeometry.of(pageSize), 1 << 20);
        HeapPageStore s = new HeapPageStore(pool);
        write(s, 0, filled(pageSize + 1, 1));
        assertTrue(s.zeroBeyond(pageSize + 1));
        assertFalse(s.zeroBeyond(pageSize), "a page lies wholly beyond the size");
        assertFalse(s.zeroBeyond(10), "non-zero bytes beyond the size");
    }
}
