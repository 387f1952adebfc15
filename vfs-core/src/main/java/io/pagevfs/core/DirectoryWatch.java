package io.pagevfs.core;

import java.util.concurrent.locks.Lock;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A watch on one directory, as an inotify watch descriptor: made by {@link Process#watch}, it stays
 * on the directory (not the path) wherever the directory is renamed to, and ends when the directory
 * is removed or closed.
 *
 * <p>Thread-safe.
 */
public final class DirectoryWatch implements AutoCloseable {
    private final Vfs vfs;
    final Directory dir;
    private final DirectoryListener listener;

    /** Set by {@link #close()}: nothing more is delivered. */
    private volatile boolean closed;

    /** Set when the directory dies (under the tree write lock); the end is still delivered. */
    private volatile boolean ended;

    DirectoryWatch(Vfs vfs, Directory dir, DirectoryListener listener) {
        this.vfs = vfs;
        this.dir = dir;
        this.listener = listener;
    }

    /** The device number of the watched directory, as {@link Stat#dev()} reports it. */
    public long dev() {
        return dir.volume.dev;
    }

    /** The inode number of the watched directory, as {@link Stat#ino()} reports it. */
    public long ino() {
        return dir.ino;
    }

    /** False once closed or once the directory is gone. */
    public boolean isActive() {
        return !closed && !ended;
    }

    /**
     * Removes the watch (inotify_rm_watch). Idempotent. No delivery starts after it returns; one
     * already running in another thread may still finish.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Lock l = vfs.lockTreeForWrite();
        try {
            vfs.notifier.remove(this);
        } finally {
            l.unlock();
        }
    }

    void markEnded() {
        ended = true;
    }

    /** Tells the listener; {@code kind} null means the watch ended. */
    void deliver(@Nullable ChangeKind kind, String name) {
        if (closed) {
            return;
        }
        try {
            if (kind == null) {
                listener.watchEnded();
            } else {
                listener.changed(kind, name);
            }
        } catch (RuntimeException e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
        }
    }

    @Override
    public String toString() {
        return "DirectoryWatch[" + dir + (isActive() ? "" : ", inactive") + "]";
    }
}
