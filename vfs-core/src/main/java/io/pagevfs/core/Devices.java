package io.pagevfs.core;

import com.google.common.base.Preconditions;

/** Device numbers as glibc's {@code makedev}, {@code major} and {@code minor} encode them. */
public final class Devices {
    private Devices() {}

    public static long makedev(int major, int minor) {
        Preconditions.checkArgument(
                major >= 0 && minor >= 0, "major and minor must not be negative");
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32)
                | ((ma & 0xfffL) << 8)
                | ((mi & 0xffffff00L) << 12)
                | (mi & 0xffL);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }
}
