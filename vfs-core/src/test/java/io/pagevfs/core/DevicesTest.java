package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DevicesTest {
    /** {major, minor, makedev(major, minor)} as glibc's sys/sysmacros.h computes it. */
    private static final long[][] GLIBC = {
        {0x1, 0x3, 0x103L},
        {0x8, 0x1, 0x801L},
        {0x103, 0x0, 0x10300L},
        {0x12345, 0x6789a, 0x120006783459aL},
        {0x7fffffff, 0x7fffffff, 0x7ffff7ffffffffffL},
        {0xfff, 0xff, 0xfffffL},
        {0x1000, 0x100, 0x100000100000L},
        {0x0, 0x0, 0x0L},
    };

    @Test
    void makedev_matchesGlibc() {
        for (long[] row : GLIBC) {
            assertEquals(row[2], Devices.makedev((int) row[0], (int) row[1]));
            assertEquals(row[0], Devices.major(row[2]));
            assertEquals(row[1], Devices.minor(row[2]));
        }
    }

    @Property
    void majorAndMinor_roundTrip(
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int major,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int minor) {
        long dev = Devices.makedev(major, minor);
        assertEquals(major, Devices.major(dev));
        assertEquals(minor, Devices.minor(dev));
    }

    @Test
    void makedev_negative_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> Devices.makedev(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Devices.makedev(0, -1));
    }
}
