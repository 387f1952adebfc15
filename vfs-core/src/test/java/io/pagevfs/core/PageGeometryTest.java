package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageGeometryTest {
    private static final int[] SIZES = {512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};

    private static PageGeometry geometry(int shift) {
        return PageGeometry.of(1 << shift);
    }

    /** The last page boundary at or below Long.MAX_VALUE. */
    private static long lastBoundary(PageGeometry g) {
        return Long.MAX_VALUE - (g.pageSize() - 1);
    }

    @Test
    void of_everyPowerOfTwoFrom512To65536_hasThatSizeAndShift() {
        for (int shift = 9; shift <= 16; shift++) {
            PageGeometry g = PageGeometry.of(1 << shift);
            assertEquals(1 << shift, g.pageSize());
            assertEquals(shift, g.shift());
        }
        assertEquals(SIZES.length, 16 - 9 + 1);
    }

    @ParameterizedTest
    @ValueSource(
            ints = {
                0,
                1,
                2,
                256,
                511,
                513,
                1000,
                3072,
                4095,
                4097,
                6144,
                65535,
                65537,
                131072,
                1 << 30,
                Integer.MAX_VALUE,
                -512,
                -4096,
                Integer.MIN_VALUE
            })
    void of_notAPowerOfTwoFrom512To65536_isRejected(int size) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PageGeometry.of(size));
        assertTrue(e.getMessage().contains(String.valueOf(size)), e.getMessage());
    }

    @Test
    void default_is4KiB() {
        assertEquals(4096, PageGeometry.DEFAULT.pageSize());
        assertEquals(PageGeometry.of(4096), PageGeometry.DEFAULT);
    }

    @Test
    void equalsAndHashCode_followThePageSize() {
        for (int a : SIZES) {
            for (int b : SIZES) {
                assertEquals(a == b, PageGeometry.of(a).equals(PageGeometry.of(b)));
            }
            assertEquals(PageGeometry.of(a).hashCode(), PageGeometry.of(a).hashCode());
        }
        assertNotEquals(PageGeometry.of(512), "512 B pages");
    }

    @Test
    void toString_namesTheSize() {
        assertEquals("512 B pages", PageGeometry.of(512).toString());
        assertEquals("4 KiB pages", PageGeometry.of(4096).toString());
        assertEquals("64 KiB pages", PageGeometry.of(65536).toString());
    }

    @Test
    void arithmetic_smallPositions_everySize() {
        for (int size : SIZES) {
            PageGeometry g = PageGeometry.of(size);
            assertEquals(0, g.pageIndex(0));
            assertEquals(0, g.pageIndex(size - 1));
            assertEquals(1, g.pageIndex(size));
            assertEquals(size - 1, g.offsetInPage(size - 1));
            assertEquals(0, g.offsetInPage(size));
            assertEquals(3L * size, g.pageStart(3));
            assertEquals(size, g.roundDown(2L * size - 1));
            assertEquals(2L * size, g.roundUp(size + 1));
            assertEquals(size, g.roundUp(size));
            assertEquals(0, g.roundUp(0));
            assertTrue(g.isAligned(0));
            assertTrue(g.isAligned(7L * size));
            assertFalse(g.isAligned(7L * size + 1));
            assertEquals(5L * size, g.bytesFor(5));
        }
    }

    @Test
    void roundUp_nearLongMaxValue_saturatesAtTheLastBoundary() {
        for (int size : SIZES) {
            PageGeometry g = PageGeometry.of(size);
            long last = lastBoundary(g);
            assertTrue(g.isAligned(last));
            assertEquals(last, g.roundUp(last));
            assertEquals(last, g.roundUp(last - 1));
            assertEquals(last - size, g.roundUp(last - size));
            assertEquals(last, g.roundUp(last - size + 1));
            assertEquals(last, g.roundUp(last + 1), "saturates instead of overflowing");
            assertEquals(last, g.roundUp(Long.MAX_VALUE), "saturates instead of overflowing");
            assertEquals(last, g.roundDown(Long.MAX_VALUE));
            assertEquals(size - 1, g.offsetInPage(Long.MAX_VALUE));
            assertEquals(Long.MAX_VALUE >>> g.shift(), g.pageIndex(Long.MAX_VALUE));
        }
    }

    @Test
    void pagesFor_edges() {
        for (int size : SIZES) {
            PageGeometry g = PageGeometry.of(size);
            assertEquals(0, g.pagesFor(0));
            assertEquals(1, g.pagesFor(1));
            assertEquals(1, g.pagesFor(size));
            assertEquals(2, g.pagesFor(size + 1));
            assertEquals((Long.MAX_VALUE >>> g.shift()) + 1, g.pagesFor(Long.MAX_VALUE));
            assertEquals(Long.MAX_VALUE >>> g.shift(), g.pagesFor(lastBoundary(g)));
        }
    }

    @Test
    void pagesSpanned_edges() {
        for (int size : SIZES) {
            PageGeometry g = PageGeometry.of(size);
            assertEquals(0, g.pagesSpanned(0, 0));
            assertEquals(0, g.pagesSpanned(12345, 0));
            assertEquals(0, g.pagesSpanned(Long.MAX_VALUE, 0));
            assertEquals(1, g.pagesSpanned(0, 1));
            assertEquals(1, g.pagesSpanned(0, size));
            assertEquals(2, g.pagesSpanned(1, size));
            assertEquals(1, g.pagesSpanned(size - 1, 1));
            assertEquals(2, g.pagesSpanned(size - 1, 2));
            assertEquals(3, g.pagesSpanned(size - 1, size + 2));
            assertEquals(1, g.pagesSpanned(Long.MAX_VALUE - 10, 11));
            assertEquals(2, g.pagesSpanned(lastBoundary(g) - 1, size + 1));
            assertEquals((Long.MAX_VALUE >>> g.shift()) + 1, g.pagesSpanned(0, Long.MAX_VALUE));
        }
    }

    // ---- properties against BigInteger arithmetic ---------------------------------------------

    @Provide
    Arbitrary<Long> positions() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 1 << 20),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(Long.MAX_VALUE - (1 << 20), Long.MAX_VALUE),
                Arbitraries.integers()
                        .between(0, 62)
                        .flatMap(
                                b ->
                                        Arbitraries.longs()
                                                .between(-2, 2)
                                                .map(d -> Math.max(0, (1L << b) + d))));
    }

    @Property
    void pageIndexAndOffset_recomposeThePosition(
            @ForAll @IntRange(min = 9, max = 16) int shift, @ForAll("positions") long pos) {
        PageGeometry g = geometry(shift);
        assertEquals(pos, g.pageStart(g.pageIndex(pos)) + g.offsetInPage(pos));
        assertTrue(g.offsetInPage(pos) >= 0 && g.offsetInPage(pos) < g.pageSize());
        assertEquals(g.pageStart(g.pageIndex(pos)), g.roundDown(pos));
        assertEquals(g.offsetInPage(pos) == 0, g.isAligned(pos));
    }

    @Property
    void roundUp_isTheLeastBoundaryAtOrAbove_orSaturates(
            @ForAll @IntRange(min = 9, max = 16) int shift, @ForAll("positions") long pos) {
        PageGeometry g = geometry(shift);
        BigInteger size = BigInteger.valueOf(g.pageSize());
        BigInteger exact =
                BigInteger.valueOf(pos)
                        .add(size)
                        .subtract(BigInteger.ONE)
                        .divide(size)
                        .multiply(size);
        long up = g.roundUp(pos);
        if (exact.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) <= 0) {
            assertEquals(exact.longValueExact(), up);
        } else {
            assertEquals(lastBoundary(g), up);
        }
        assertTrue(g.isAligned(up));
    }

    @Property
    void pagesFor_isCeilingDivision(
            @ForAll @IntRange(min = 9, max = 16) int shift, @ForAll("positions") long size) {
        PageGeometry g = geometry(shift);
        BigInteger ps = BigInteger.valueOf(g.pageSize());
        BigInteger expected = BigInteger.valueOf(size).add(ps).subtract(BigInteger.ONE).divide(ps);
        assertEquals(expected.longValueExact(), g.pagesFor(size));
    }

    @Property
    void pagesSpanned_countsTouchedPages(
            @ForAll @IntRange(min = 9, max = 16) int shift,
            @ForAll("positions") long pos,
            @ForAll @LongRange(min = 0, max = 1 << 22) long len) {
        PageGeometry g = geometry(shift);
        len = Math.min(len, Long.MAX_VALUE - pos);
        BigInteger ps = BigInteger.valueOf(g.pageSize());
        long expected =
                len == 0
                        ? 0
                        : BigInteger.valueOf(pos)
                                .add(BigInteger.valueOf(len - 1))
                                .divide(ps)
                                .subtract(BigInteger.valueOf(pos).divide(ps))
                                .add(BigInteger.ONE)
                                .longValueExact();
        assertEquals(expected, g.pagesSpanned(pos, len));
    }
}
