package io.pagevfs.core;

/** Linux {@code <sys/mman.h>} values for mmap's protection and flags. */
public final class Mman {
    private Mman() {}

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_SHARED_VALIDATE = 0x03;
    public static final int MAP_TYPE = 0x0f;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;

    /**
     * The flags MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK, as far as PageVFS knows
     * them).
     */
    static final int LEGACY_MAP_MASK =
            MAP_SHARED
                    | MAP_PRIVATE
                    | MAP_FIXED
                    | MAP_ANONYMOUS
                    | 0x0100
                    | 0x0800
                    | 0x1000
                    | 0x2000
                    | 0x4000
                    | 0x8000
                    | 0x10000
                    | 0x20000;
}
