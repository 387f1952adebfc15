package io.pagevfs.core;

import com.google.common.base.Preconditions;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * mount, bind mount, remount, umount and statfs. Every change needs root (EPERM), checked after the
 * path is resolved, as Linux does.
 */
final class MountCalls {
    private MountCalls() {}

    private static void requireRoot(Process p, String op, String path) throws VfsException {
        if (!p.credentials().isRoot()) {
            throw new VfsException(Errno.EPERM, op, path);
        }
    }

    /**
     * Resolves a mount call's path, symbolic links followed, and only then requires root: Linux's
     * do_mount and ksys_umount look the path up before may_mount, so a walk error (ENOENT, EACCES,
     * ELOOP) comes before EPERM.
     */
    private static Inode lookupAsRoot(Process p, Namei nd) throws VfsException {
        Inode i = nd.lookupExisting(true);
        requireRoot(p, nd.op, nd.path);
        return i;
    }

    /** A mount target or bind source must be a directory; {@code nd.dir} becomes it. */
    private static Namei directory(Namei nd, Inode i) throws VfsException {
        if (!(i instanceof Directory d)) {
            throw nd.error(Errno.ENOTDIR);
        }
        nd.dir = d;
        return nd;
    }

    static void mount(Process p, VolumeSpec spec, String target, Set<MountFlag> flags)
            throws VfsException {
        Preconditions.checkNotNull(spec, "volume");
        Preconditions.checkNotNull(flags, "flags");
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei("mount", Fcntl.AT_FDCWD, target).walkParent();
            directory(nd, lookupAsRoot(p, nd));
            Volume v = p.vfs.newVolume(spec, flags.contains(MountFlag.READ_ONLY));
            p.vfs.attach(v, v.root, nd.mount, nd.dir, flags);
        } finally {
            l.unlock();
        }
    }

    static void bind(Process p, String source, String target, Set<MountFlag> flags)
            throws VfsException {
        Preconditions.checkNotNull(flags, "flags");
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei("mount", Fcntl.AT_FDCWD, target).walkParent();
            Inode t = lookupAsRoot(p, nd);
            Namei src = p.namei("mount", Fcntl.AT_FDCWD, source).walkParent();
            directory(src, src.lookupExisting(true));
            if (src.dir.dead) {
                throw src.error(Errno.ENOENT);
            }
            directory(nd, t);
            p.vfs.attach(src.dir.volume, src.dir, nd.mount, nd.dir, flags);
        } finally {
            l.unlock();
        }
    }

    /**
     * The mount whose root {@code target} names: walk errors, EPERM, then EINVAL if it names no
     * mount's root (a file included), as Linux's path_mounted check.
     */
    private static Mount mountAt(Process p, String op, String target) throws VfsException {
        Namei nd = p.namei(op, Fcntl.AT_FDCWD, target).walkParent();
        Inode i = lookupAsRoot(p, nd);
        if (i != nd.mount.root) {
            throw nd.error(Errno.EINVAL);
        }
        return nd.mount;
    }

    static void remount(Process p, String target, Set<MountFlag> flags, boolean bindOnly)
            throws VfsException {
        Preconditions.checkNotNull(flags, "flags");
        Lock l = p.writeLock();
        try {
            Mount m = mountAt(p, "mount", target);
            boolean ro = flags.contains(MountFlag.READ_ONLY);
            if (ro && !m.isReadOnly() && writersBlock(p.vfs, m, bindOnly)) {
                throw new VfsException(Errno.EBUSY, "mount", target);
            }
            m.setFlags(flags);
            if (!bindOnly) {
                m.volume.readOnly = ro;
            }
        } finally {
            l.unlock();
        }
    }

    /**
     * Whether open files forbid going read-only: a file open for writing on this mount, or for a
     * volume-wide remount on any mount of the volume, or a file of the volume that is still open
     * after losing its last name (Linux's sb_prepare_remount_readonly refuses while the
     * superblock's s_remove_count is non-zero, even if the file is open only for reading).
     */
    private static boolean writersBlock(Vfs vfs, Mount m, boolean bindOnly) {
        if (bindOnly) {
            return m.hasWriters();
        }
        for (Mount other : vfs.mountList()) {
            if (other.volume == m.volume && other.hasWriters()) {
                return true;
            }
        }
        return hasOpenOrphans(vfs, m.volume);
    }

    /**
     * Whether a descriptor refers to an inode of {@code v} that has no name left. Open file
     * descriptions live only in descriptor tables. Caller holds the tree write lock.
     */
    @SuppressWarnings("GuardedBy")
    private static boolean hasOpenOrphans(Vfs vfs, Volume v) {
        for (Process q : vfs.processes()) {
            for (int fd : q.openDescriptors()) {
                OpenFile f = q.fds.get(fd);
                if (f != null && f.inode.volume == v && f.inode.nlink == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    static void umount(Process p, String target) throws VfsException {
        Lock l = p.writeLock();
        try {
            Mount m = mountAt(p, "umount", target);
            if (m.parent == null
                    || m.hasChildren()
                    || m.hasOpenFiles()
                    || inUseAsDirectory(p.vfs, m)) {
                throw new VfsException(Errno.EBUSY, "umount", target);
            }
            p.vfs.detach(m);
        } finally {
            l.unlock();
        }
    }

    private static boolean inUseAsDirectory(Vfs vfs, Mount m) {
        for (Process q : vfs.processes()) {
            if (q.cwdMount == m || q.rootMount == m) {
                return true;
            }
        }
        return false;
    }

    static FsStat statfs(Process p, String path) throws VfsException {
        Lock l = p.readLock();
        try {
            Namei nd = p.namei("statfs", Fcntl.AT_FDCWD, path).walkParent();
            nd.lookupExisting(true);
            return statfs(nd.mount);
        } finally {
            l.unlock();
        }
    }

    static FsStat statfs(Mount m) {
        PagePool pool = m.volume.pool;
        long used = pool.pagesInUse();
        long total = pool.limitPages();
        return new FsStat(
                m.volume.name,
                m.volume.dev,
                pool.geometry().pageSize(),
                total,
                Math.max(0, total - used),
                used,
                Namei.NAME_MAX,
                m.flags(),
                m.isReadOnly());
    }
}
