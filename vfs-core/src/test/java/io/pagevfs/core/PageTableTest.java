package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTableTest {
    /** The highest page index a file can have: Long.MAX_VALUE with 512-byte pages. */
    static final long MAX_INDEX = Long.MAX_VALUE >>> 9;

    static int height(PageTable t) {
        try {
            Field f = PageTable.class.getDeclaredField("height");
            f.setAccessible(true);
            return f.getInt(t);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The least height whose 64-way tree covers {@code maxIndex} (0 for an empty table). */
    static int minimalHeight(long maxIndex) {
        int h = 0;
        while (maxIndex > 0) {
            maxIndex >>>= 6;
            h++;
        }
        return h;
    }

    private static byte[] page(int tag) {
        return new byte[] {(byte) tag};
    }

    private static List<Long> indices(PageTable t) {
        List<Long> out = new ArrayList<>();
        t.forEach((index, page) -> out.add(index));
        return out;
    }

    @Test
    void emptyTable_holdsNothing() {
        PageTable t = new PageTable();
        assertEquals(0, t.count());
        assertNull(t.get(0));
        assertNull(t.get(MAX_INDEX));
        assertEquals(List.of(), indices(t));
        assertEquals(0, t.truncate(0));
        assertEquals(0, t.truncate(5));
        assertEquals(0, height(t));
    }

    @Test
    void put_indexZero_needsNoNode() {
        PageTable t = new PageTable();
        byte[] p = page(1);
        t.put(0, p);
        assertSame(p, t.get(0));
        assertNull(t.get(1));
        assertEquals(1, t.count());
        assertEquals(0, height(t));
    }

    @Test
    void put_growsHeightExactlyAtPowersOf64() {
        long[] firsts = {
            1, 64, 64 * 64, 1L << 18, 1L << 24, 1L << 30, 1L << 36, 1L << 42, 1L << 48, 1L << 54
        };
        for (int i = 0; i < firsts.length; i++) {
            PageTable t = new PageTable();
            t.put(firsts[i] - 1, page(1));
            assertEquals(minimalHeight(firsts[i] - 1), height(t), "below " + firsts[i]);
            t.put(firsts[i], page(2));
            assertEquals(i + 1, height(t), "at " + firsts[i]);
            assertEquals(2, t.count());
        }
    }

    @Test
    void put_indicesNear2To54_areFoundAgain() {
        PageTable t = new PageTable();
        long[] idx = {
            0, 1, 63, 64, (1L << 53) - 1, 1L << 53, MAX_INDEX - 64, MAX_INDEX - 1, MAX_INDEX
        };
        for (int i = 0; i < idx.length; i++) {
            t.put(idx[i], page(i));
        }
        assertEquals(idx.length, t.count());
        assertEquals(minimalHeight(MAX_INDEX), height(t));
        for (int i = 0; i < idx.length; i++) {
            assertEquals((byte) i, t.get(idx[i])[0], "index " + idx[i]);
        }
        assertNull(t.get(2));
        assertNull(t.get(MAX_INDEX - 2));
        assertNull(t.get(MAX_INDEX + 1));
        assertNull(t.get(1L << 60));
        assertNull(t.get(Long.MAX_VALUE));
        List<Long> expected = new ArrayList<>();
        for (long i : idx) {
            expected.add(i);
        }
        assertEquals(expected, indices(t), "forEach visits in index order");
    }

    @Test
    void truncate_dropsAtAndAboveAndCountsThem() {
        PageTable t = new PageTable();
        for (long i : new long[] {0, 5, 63, 64, 65, 4095, 4096, 1L << 40, MAX_INDEX}) {
            t.put(i, page((int) i));
        }
        assertEquals(1, t.truncate((1L << 40) + 1));
        assertEquals(8, t.count());
        assertEquals(3, t.truncate(4095));
        assertEquals(List.of(0L, 5L, 63L, 64L, 65L), indices(t));
        assertEquals(2, height(t));
        assertEquals(2, t.truncate(64));
        assertEquals(List.of(0L, 5L, 63L), indices(t));
        assertEquals(1, height(t), "shrinks once only slot 0 of the root is used");
        assertEquals(2, t.truncate(1));
        assertEquals(List.of(0L), indices(t));
        assertEquals(0, height(t), "a lone page 0 is the root itself");
        assertEquals(1, t.count());
        assertEquals(0, t.truncate(1), "nothing at or above 1");
        assertEquals(1, t.truncate(0));
        assertEquals(0, t.count());
        assertNull(t.get(0));
    }

    @Test
    void truncate_ofTheHighestPage_shrinksAllTheWayDown() {
        PageTable t = new PageTable();
        t.put(3, page(3));
        t.put(MAX_INDEX, page(9));
        assertEquals(minimalHeight(MAX_INDEX), height(t));
        assertEquals(1, t.truncate(MAX_INDEX));
        assertEquals(1, height(t));
        assertEquals(3, t.get(3)[0]);
        t.put(MAX_INDEX, page(9));
        assertEquals(2, t.truncate(0));
        assertEquals(0, height(t));
    }

    @Test
    void truncate_everything_leavesAnEmptyReusableTable() {
        PageTable t = new PageTable();
        t.put(1L << 30, page(1));
        t.put(7, page(2));
        assertEquals(2, t.truncate(1), "no page 0: the table empties");
        assertEquals(0, t.count());
        assertEquals(0, height(t));
        assertEquals(List.of(), indices(t));
        t.put(0, page(3));
        t.put(100, page(4));
        assertEquals(List.of(0L, 100L), indices(t));
    }

    @Test
    void truncate_beyondTheHighestIndex_dropsNothing() {
        PageTable t = new PageTable();
        t.put(10, page(1));
        t.put(70, page(2));
        assertEquals(0, t.truncate(71));
        assertEquals(0, t.truncate(1L << 50));
        assertEquals(2, t.count());
        assertEquals(2, height(t));
    }

    @Test
    void manyPages_denseRange_countsAndOrder() {
        PageTable t = new PageTable();
        for (long i = 0; i < 5000; i++) {
            t.put(i, page((int) i));
        }
        assertEquals(5000, t.count());
        List<Long> seen = indices(t);
        assertEquals(5000, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i));
        }
        assertEquals(5000 - 4096, t.truncate(4096));
        assertEquals(2, height(t));
        assertEquals(4096 - 1, t.truncate(1));
        assertEquals(0, height(t));
    }
}
