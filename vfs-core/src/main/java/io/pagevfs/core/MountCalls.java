package io.pagevfs.core;

import com.google.common.base.Preconditions;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * mount, bind mount, remount, umount and statfs. Every change needs root (EPERM), checked, as Linux
 * does, after the path the call names is looked up.
 */
final class MountCalls {
    private MountCalls() {}

    private static void requireRoot(Process p, String op, String path) throws VfsException {
        if (!p.credentials().isRoot()) {
            throw new VfsException(Errno.EPERM, op, path);
        }
    }

    /** A path a mount call names: the walk (its mount is the path's mount) and the inode. */
    private record Resolved(Namei nd, Inode inode) {
        /** The directory the path names, or ENOTDIR (PageVFS mounts only on directories). */
        Directory directory() throws VfsException {
            if (!(inode instanceof Directory d)) {
                throw nd.error(Errno.ENOTDIR);
            }
            return d;
        }
    }

    /**
     * Linux's {@code user_path_at} in mount(2) and umount(2): the path must exist, symbolic links
     * are followed. It comes before the privilege check, so an unprivileged caller naming a missing
     * path gets ENOENT, not EPERM.
     */
    private static Resolved resolve(Process p, String op, String path) throws VfsException {
        Namei nd = p.namei(op, Fcntl.AT_FDCWD, path).walkParent();
        return new Resolved(nd, nd.lookupExisting(true));
    }

    static void mount(Process p, VolumeSpec spec, String target, Set<MountFlag> flags)
            throws VfsException {
        Preconditions.checkNotNull(spec, "volume");
        Preconditions.checkNotNull(flags, "flags");
        Lock l = p.writeLock();
        try {
            Resolved t = resolve(p, "mount", target);
            requireRoot(p, "mount", target);
            Directory d = t.directory();
            Volume v = p.vfs.newVolume(spec, flags.contains(MountFlag.READ_ONLY));
            p.vfs.attach(v, v.root, t.nd().mount, d, flags);
        } finally {
            l.unlock();
        }
    }

    static void bind(Process p, String source, String target, Set<MountFlag> flags)
            throws VfsException {
        Preconditions.checkNotNull(flags, "flags");
        Lock l = p.writeLock();
        try {
            Resolved t = resolve(p, "mount", target);
            requireRoot(p, "mount", target);
            Resolved src = resolve(p, "mount", source);
            Directory s = src.directory();
            if (s.dead) {
                throw src.nd().error(Errno.ENOENT);
            }
            p.vfs.attach(s.volume, s, t.nd().mount, t.directory(), flags);
        } finally {
            l.unlock();
        }
    }

    /**
     * The mount whose root {@code target} names; EPERM for a non-root caller, then EINVAL if it
     * names no mount's root.
     */
    private static Mount mountAt(Process p, String op, String target) throws VfsException {
        Resolved t = resolve(p, op, target);
        requireRoot(p, op, target);
        if (t.inode() != t.nd().mount.root) {
            throw t.nd().error(Errno.EINVAL);
        }
        return t.nd().mount;
    }

    static void remount(Process p, String target, Set<MountFlag> flags, boolean bindOnly)
            throws VfsException {
        Preconditions.checkNotNull(flags, "flags");
        p.vfs.reapMappings();
        Lock l = p.writeLock();
        try {
            Mount m = mountAt(p, "mount", target);
            boolean ro = flags.contains(MountFlag.READ_ONLY);
            // What goes read-only: the volume (its superblock) for a plain remount, even when
            // this mount already is; this mount for a bind remount, unless it already is.
            boolean wasReadOnly = bindOnly ? m.isReadOnly() : m.volume.readOnly;
            if (ro && !wasReadOnly && writersBlock(p.vfs, m, bindOnly)) {
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
     * Whether a descriptor or a live mapping refers to an inode of {@code v} that has no name left
     * (a mapping holds its file as a descriptor does). Caller holds the tree write lock.
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
        for (RegularFile f : vfs.mappedFiles()) {
            if (f.volume == v && f.nlink == 0) {
                return true;
            }
        }
        return false;
    }

    static void umount(Process p, String target) throws VfsException {
        p.vfs.reapMappings();
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
