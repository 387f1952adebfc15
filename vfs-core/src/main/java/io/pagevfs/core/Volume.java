package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One filesystem instance (a superblock): an inode table rooted at a directory, its page pool with
 * its own memory limit, and its device number. A volume may be visible through several mounts (bind
 * mounts); its {@link #readOnly} flag is the superblock's, which every mount of it obeys.
 */
final class Volume {
    final long dev;
    final String name;
    final PagePool pool;
    final Directory root;
    private final AtomicLong nextIno = new AtomicLong(1);

    /** The superblock read-only flag; set by a non-bind remount or a read-only mount. */
    @GuardedBy("Vfs.tree")
    boolean readOnly;

    /** Mounts of this volume in the mount table. */
    @GuardedBy("Vfs.tree")
    int mountCount;

    Volume(long dev, VolumeSpec spec, int rootPerms, int uid, int gid, long now) {
        this.dev = dev;
        this.name = spec.name();
        this.pool = new PagePool(spec.geometry(), spec.memoryLimit());
        this.root = new Directory(this, rootPerms, uid, gid, now, null);
        synchronized (root) {
            root.nlink = 2;
        }
    }

    long allocateIno() {
        return nextIno.getAndIncrement();
    }

    PageGeometry geometry() {
        return pool.geometry();
    }

    PageStore newPageStore() {
        return new HeapPageStore(pool);
    }

    @Override
    public String toString() {
        return name + "(dev " + dev + ")";
    }
}
