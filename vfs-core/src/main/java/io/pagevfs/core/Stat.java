package io.pagevfs.core;

/**
 * What stat(2) reports about a file. Times are nanoseconds since the epoch; {@code blocks} counts
 * 512-byte units of storage really held (holes hold none).
 */
public record Stat(
        long dev,
        long ino,
        int mode,
        int nlink,
        int uid,
        int gid,
        long rdev,
        long size,
        int blksize,
        long blocks,
        long atimeNanos,
        long mtimeNanos,
        long ctimeNanos,
        long birthtimeNanos) {

    public FileType type() {
        return FileType.ofMode(mode);
    }

    /** The twelve permission bits. */
    public int permissions() {
        return mode & Mode.PERMISSION_BITS;
    }

    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    public boolean isRegularFile() {
        return type() == FileType.REGULAR;
    }

    public boolean isSymlink() {
        return type() == FileType.SYMLINK;
    }
}
