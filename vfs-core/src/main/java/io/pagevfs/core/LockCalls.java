package io.pagevfs.core;

/**
 * The range-lock calls of {@link Process}: argument and descriptor checks, then {@link LockTable}.
 */
final class LockCalls {
    private LockCalls() {}

    /**
     * The exclusive end of a range; length 0 (or an end past the largest offset) means "to the
     * end".
     */
    static long end(String op, OpenFile f, long start, long length) throws VfsException {
        if (start < 0 || length < 0) {
            throw new VfsException(Errno.EINVAL, op, f.path);
        }
        return length == 0 || length > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + length;
    }

    private static OpenFile lockable(Process p, String op, int fd, boolean shared)
            throws VfsException {
        OpenFile f = p.file(op, fd);
        if (shared ? !f.canRead() : !f.canWrite()) {
            throw new VfsException(Errno.EBADF, op, f.path);
        }
        return f;
    }

    static boolean tryLock(Process p, int fd, long start, long length, boolean shared)
            throws VfsException {
        OpenFile f = lockable(p, "lock", fd, shared);
        return p.vfs.locks.tryLock(f, start, end("lock", f, start, length), shared);
    }

    static void lockWaiting(Process p, int fd, long start, long length, boolean shared)
            throws VfsException, InterruptedException {
        OpenFile f = lockable(p, "lock", fd, shared);
        long end = end("lock", f, start, length);
        if (!p.vfs.locks.lock(f, start, end, shared, () -> !f.isClosed() && p.fds.get(fd) == f)) {
            throw new VfsException(Errno.EBADF, "lock", f.path);
        }
    }

    static void unlock(Process p, int fd, long start, long length) throws VfsException {
        OpenFile f = p.file("unlock", fd);
        if (!p.vfs.locks.unlock(f, start, end("unlock", f, start, length))) {
            throw new VfsException(Errno.ENOLCK, "unlock", f.path);
        }
    }
}
