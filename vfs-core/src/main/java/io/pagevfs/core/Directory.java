package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A directory: its entries and its parent within the volume. Every field here is guarded by the Vfs
 * tree lock (read to look up, write to change).
 */
final class Directory extends Inode {
    @GuardedBy("Vfs.tree")
    final DirTable entries = new DirTable();

    /** The directory ".." names inside this volume; a volume root is its own parent. */
    @GuardedBy("Vfs.tree")
    Directory parent;

    /** How many mounts sit on this directory (in any parent mount): a fast path for lookups. */
    @GuardedBy("Vfs.tree")
    int mountCount;

    /** Set once the directory is removed: nothing can be created in it any more. */
    @GuardedBy("Vfs.tree")
    boolean dead;

    /**
     * The watches on this directory; null when none. Written under the tree write lock, read
     * without it (by {@link Notifier#modified}).
     */
    volatile DirectoryWatch @Nullable [] watches;

    Directory(Volume volume, int perms, int uid, int gid, long now, Directory parent) {
        super(volume, Mode.S_IFDIR | perms, uid, gid, now);
        this.parent = parent == null ? this : parent;
    }

    @Override
    FileType type() {
        return FileType.DIRECTORY;
    }

    @Override
    long size() {
        // tmpfs reports a directory's size as (entries + 2) * BOGO_DIRENT_SIZE (20).
        return (entries.size() + 2L) * 20;
    }
}
