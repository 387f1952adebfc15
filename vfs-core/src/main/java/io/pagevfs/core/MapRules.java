package io.pagevfs.core;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Who may map what, with which protection: Linux's mmap checks (do_mmap), as a verdict. Policy
 * only; see {@link MapCalls} for the order relative to descriptor lookup.
 *
 * <p>Order (recorded from Linux 6.18, see DECISIONS "POSIX"): length 0 is EINVAL (a negative
 * length, a huge unsigned one in C, ENOMEM); an offset beyond the maximum file size, or one whose
 * end would be, EOVERFLOW (for a regular file the maximum is MAX_LFS_FILESIZE, so a negative offset
 * is EOVERFLOW; for anything else, a directory say, Linux takes the offset as unsigned and only an
 * end beyond 2^64 is EOVERFLOW, so a huge offset there reaches the ENODEV below); a mapping type
 * other than MAP_SHARED, MAP_SHARED_VALIDATE or MAP_PRIVATE EINVAL, and unknown flags with
 * MAP_SHARED_VALIDATE ENOTSUP; a shared writable mapping of a descriptor not open for writing
 * EACCES; a descriptor not open for reading EACCES, whatever the protection (even PROT_NONE);
 * PROT_EXEC on a noexec mount EPERM; a file that cannot be mapped (a directory or a device) ENODEV.
 * mmap never looks at the file's execute bits and never returns EROFS (a read-only mount has no
 * writable descriptors).
 */
final class MapRules {
    private MapRules() {}

    /** The largest size of a file (tmpfs's MAX_LFS_FILESIZE). */
    static final long MAX_SIZE = Long.MAX_VALUE;

    @Nullable
    static Errno check(OpenFile f, long offset, long length, int prot, int flags, PageGeometry g) {
        if (length == 0) {
            return Errno.EINVAL;
        }
        if (length < 0) {
            return Errno.ENOMEM;
        }
        long mapped = g.roundUp(length);
        if (f.inode instanceof RegularFile
                ? offset < 0 || mapped > MAX_SIZE - offset
                : Long.compareUnsigned(offset, -mapped) >= 0) {
            return Errno.EOVERFLOW;
        }
        int type = flags & Mman.MAP_TYPE;
        boolean shared = type == Mman.MAP_SHARED || type == Mman.MAP_SHARED_VALIDATE;
        if (!shared && type != Mman.MAP_PRIVATE) {
            return Errno.EINVAL;
        }
        if (type == Mman.MAP_SHARED_VALIDATE && (flags & ~Mman.LEGACY_MAP_MASK) != 0) {
            return Errno.ENOTSUP;
        }
        if (shared && (prot & Mman.PROT_WRITE) != 0 && !f.canWrite()) {
            return Errno.EACCES;
        }
        if (!f.canRead()) {
            return Errno.EACCES;
        }
        if ((prot & Mman.PROT_EXEC) != 0 && f.mount.has(MountFlag.NOEXEC)) {
            return Errno.EPERM;
        }
        if (!(f.inode instanceof RegularFile)) {
            return Errno.ENODEV;
        }
        return null;
    }
}
