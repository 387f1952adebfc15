package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.atomic.AtomicInteger;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An open file description: what open(2) creates and descriptors share (across dup and fork). It
 * holds the access mode, the status flags, the file offset, and one reference per descriptor.
 *
 * <p>The description keeps its inode open (so an unlinked file keeps its content) and counts
 * against its mount (unmount is EBUSY, and a writer blocks remounting read-only) until the last
 * reference goes.
 */
final class OpenFile {
    final Inode inode;
    final Mount mount;

    /** The path it was opened by, for error messages. */
    final String path;

    final int accessMode;
    final @Nullable DeviceHandler device;

    /** O_APPEND, O_NONBLOCK and the other status flags F_SETFL may change. */
    private volatile int statusFlags;

    @GuardedBy("this")
    private long offset;

    /**
     * Descriptors and mappings referring to this description; atomic, so releasing takes no
     * monitor.
     */
    private final AtomicInteger refs = new AtomicInteger(1);

    /** The Vfs's range locks, from which this description's locks go when it does. */
    private final LockTable locks;

    /** Set when the last reference went: lock waiters of this description give up. */
    private volatile boolean closed;

    OpenFile(
            Inode inode,
            Mount mount,
            String path,
            int flags,
            @Nullable DeviceHandler device,
            LockTable locks) {
        this.locks = locks;
        this.inode = inode;
        this.mount = mount;
        this.path = path;
        this.accessMode = Fcntl.accessMode(flags);
        this.statusFlags =
                flags
                        & ~Fcntl.O_ACCMODE
                        & ~(Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_TRUNC | Fcntl.O_CLOEXEC);
        this.device = device;
        synchronized (inode) {
            inode.openCount++;
            if (canWrite()) {
                inode.writeCount++;
            }
        }
        mount.opened(isWriter());
    }

    boolean canRead() {
        return accessMode == Fcntl.O_RDONLY || accessMode == Fcntl.O_RDWR;
    }

    boolean canWrite() {
        return accessMode == Fcntl.O_WRONLY || accessMode == Fcntl.O_RDWR;
    }

    /** Whether this description counts as a writer of its mount (regular files and directories). */
    private boolean isWriter() {
        return canWrite() && !(inode instanceof DeviceNode);
    }

    int statusFlags() {
        return statusFlags;
    }

    boolean isAppend() {
        return (statusFlags & Fcntl.O_APPEND) != 0;
    }

    void setStatusFlags(int flags) {
        statusFlags = (statusFlags & ~Fcntl.SETFL_MASK) | (flags & Fcntl.SETFL_MASK);
    }

    /** The flags F_GETFL reports: access mode and status flags. */
    int flags() {
        return accessMode | statusFlags;
    }

    synchronized long offset() {
        return offset;
    }

    synchronized void setOffset(long newOffset) {
        offset = newOffset;
    }

    void retain() {
        refs.incrementAndGet();
    }

    /** Drops one reference; the last one closes the description. */
    void release() {
        if (refs.decrementAndGet() > 0) {
            return;
        }
        closed = true;
        locks.releaseAll(this);
        mount.closed(isWriter());
        synchronized (inode) {
            inode.openCount--;
            if (canWrite()) {
                inode.writeCount--;
            }
            inode.releaseIfUnused();
        }
    }

    boolean isClosed() {
        return closed;
    }

    String describe() {
        return path;
    }
}
