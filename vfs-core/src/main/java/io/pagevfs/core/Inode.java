package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A file of any type: its identity, owner, mode, link count, timestamps and extended attributes.
 *
 * <p>Locking: {@code mode}, {@code uid}, {@code gid} and {@code nlink} change only while holding
 * the Vfs tree write lock <em>and</em> this inode's monitor, so a path walk (tree read lock) and a
 * descriptor operation (monitor) both read them consistently. Timestamps, extended attributes and
 * content change under this inode's monitor alone.
 */
abstract sealed class Inode permits RegularFile, Directory, Symlink, DeviceNode {
    final Volume volume;
    final long ino;

    /** File type bits and the twelve permission bits. */
    @GuardedBy("this")
    int mode;

    @GuardedBy("this")
    int uid;

    @GuardedBy("this")
    int gid;

    /**
     * Directory entries naming this inode; for a directory also its "." and its children's "..".
     */
    @GuardedBy("this")
    int nlink;

    @GuardedBy("this")
    long atime;

    @GuardedBy("this")
    long mtime;

    @GuardedBy("this")
    long ctime;

    @GuardedBy("this")
    long btime;

    /** Open file descriptions referring to this inode. */
    @GuardedBy("this")
    int openCount;

    /** Open file descriptions that may write this inode (Linux's i_writecount, for ETXTBSY). */
    @GuardedBy("this")
    int writeCount;

    @GuardedBy("this")
    private @Nullable Map<String, byte[]> xattrs;

    /**
     * This inode's names in watched directories (see {@link Notifier}); null when none, which is
     * always the case while nobody watches. Written under the tree write lock, read without it.
     */
    volatile Notifier.WatchedName @Nullable [] watchedNames;

    Inode(Volume volume, int mode, int uid, int gid, long now) {
        this.volume = volume;
        this.ino = volume.allocateIno();
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.atime = now;
        this.mtime = now;
        this.ctime = now;
        this.btime = now;
    }

    abstract FileType type();

    final boolean isDirectory() {
        return this instanceof Directory;
    }

    /** The size stat reports. */
    abstract long size();

    /** Pages of storage held, for st_blocks and the volume's usage. */
    long pagesHeld() {
        return 0;
    }

    /** The device number stat reports as st_rdev. */
    long rdev() {
        return 0;
    }

    final synchronized Stat stat() {
        PageGeometry g = volume.geometry();
        long blocks = g.bytesFor(pagesHeld()) / 512;
        return new Stat(
                volume.dev,
                ino,
                mode,
                nlink,
                uid,
                gid,
                rdev(),
                size(),
                g.pageSize(),
                blocks,
                atime,
                mtime,
                ctime,
                btime);
    }

    final synchronized void touchCtime(long now) {
        ctime = now;
    }

    final synchronized void touchModified(long now) {
        mtime = now;
        ctime = now;
    }

    /** Updates the access time as Linux's default relatime does. */
    final synchronized void touchAccessed(long now) {
        if (atime <= mtime || atime <= ctime || now - atime >= 24L * 3600 * 1_000_000_000L) {
            atime = now;
        }
    }

    @GuardedBy("this")
    final @Nullable byte[] getXattr(String name) {
        return xattrs == null ? null : xattrs.get(name);
    }

    @GuardedBy("this")
    final void putXattr(String name, byte[] value) {
        if (xattrs == null) {
            xattrs = new LinkedHashMap<>(4);
        }
        xattrs.put(name, value);
    }

    @GuardedBy("this")
    final boolean removeXattr(String name) {
        return xattrs != null && xattrs.remove(name) != null;
    }

    @GuardedBy("this")
    final String[] xattrNames() {
        return xattrs == null ? new String[0] : xattrs.keySet().toArray(new String[0]);
    }

    /** Frees what the inode holds once it has no name and is no longer open. */
    @GuardedBy("this")
    void releaseIfUnused() {}

    @Override
    public String toString() {
        return type() + "#" + ino;
    }
}
