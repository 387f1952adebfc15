package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PagePoolTest {
    @Test
    void limitPages_isTheLimitRoundedDownToWholePages() {
        assertEquals(2, new PagePool(PageGeometry.of(4096), 3 * 4096 - 1).limitPages());
        assertEquals(0, new PagePool(PageGeometry.of(4096), 4095).limitPages());
        assertEquals(8, new PagePool(PageGeometry.of(512), 4096).limitPages());
    }

    @Test
    void reserve_chargesOnlyWhatFits() {
        PagePool pool = new PagePool(PageGeometry.of(512), 10 * 512);
        assertTrue(pool.reserve(0));
        assertTrue(pool.reserve(7));
        assertFalse(pool.reserve(4), "all or nothing");
        assertEquals(7, pool.pagesInUse());
        assertTrue(pool.reserve(3));
        assertFalse(pool.reserve(1));
        assertTrue(pool.reserve(0), "nothing always fits");
        pool.release(10);
        assertEquals(0, pool.pagesInUse());
        assertFalse(pool.reserve(Long.MAX_VALUE), "no overflow on huge requests");
    }

    @Test
    void newPage_isZeroedAndPageSized() {
        PagePool pool = new PagePool(PageGeometry.of(2048), 1 << 20);
        byte[] page = pool.newPage();
        assertEquals(2048, page.length);
        for (byte b : page) {
            assertEquals(0, b);
        }
        assertEquals(PageGeometry.of(2048), pool.geometry());
    }
}
