package io.pagevfs.core;

/** Linux flag values for open, the *at calls, lseek, rename, xattrs and utimensat. */
public final class Fcntl {
    private Fcntl() {}

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = 040000;
    public static final int O_LARGEFILE = 0100000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_SYNC = 04010000;
    public static final int O_PATH = 010000000;

    /** The status flags that F_SETFL may change. */
    public static final int SETFL_MASK = O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT;

    /** The "directory" argument of the *at calls meaning the working directory. */
    public static final int AT_FDCWD = -100;

    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EACCESS = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;

    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;

    /** A utimensat time meaning "now". */
    public static final long UTIME_NOW = (1L << 30) - 1;

    /** A utimensat time meaning "leave unchanged". */
    public static final long UTIME_OMIT = (1L << 30) - 2;

    /** The access mode bits of {@code flags}. */
    public static int accessMode(int flags) {
        return flags & O_ACCMODE;
    }

    public static boolean readable(int flags) {
        int mode = accessMode(flags);
        return mode == O_RDONLY || mode == O_RDWR;
    }

    public static boolean writable(int flags) {
        int mode = accessMode(flags);
        return mode == O_WRONLY || mode == O_RDWR;
    }
}
