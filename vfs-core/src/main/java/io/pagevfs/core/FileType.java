package io.pagevfs.core;

/** The kinds of inode PageVFS has, with their {@code S_IFMT} bits. */
public enum FileType {
    REGULAR(Mode.S_IFREG, '-'),
    DIRECTORY(Mode.S_IFDIR, 'd'),
    SYMLINK(Mode.S_IFLNK, 'l'),
    CHAR_DEVICE(Mode.S_IFCHR, 'c'),
    BLOCK_DEVICE(Mode.S_IFBLK, 'b');

    private final int bits;
    private final char symbol;

    FileType(int bits, char symbol) {
        this.bits = bits;
        this.symbol = symbol;
    }

    /** The {@code S_IFMT} bits of this type. */
    public int bits() {
        return bits;
    }

    /** The letter {@code ls -l} shows. */
    public char symbol() {
        return symbol;
    }

    public boolean isDevice() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE;
    }

    /** The type whose bits {@code mode} carries. */
    public static FileType ofMode(int mode) {
        switch (mode & Mode.S_IFMT) {
            case Mode.S_IFREG:
                return REGULAR;
            case Mode.S_IFDIR:
                return DIRECTORY;
            case Mode.S_IFLNK:
                return SYMLINK;
            case Mode.S_IFCHR:
                return CHAR_DEVICE;
            case Mode.S_IFBLK:
                return BLOCK_DEVICE;
            default:
                throw new IllegalArgumentException(
                        "not a PageVFS file type: 0" + Integer.toOctalString(mode));
        }
    }
}
