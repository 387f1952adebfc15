package io.pagevfs.core;

import com.google.common.base.Preconditions;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/** mount, bind mount, remount, umount and statfs. Every change needs root (EPERM). */
final class MountCalls {
    private MountCalls() {}

    private static void requireRoot(Process p, String op, String path) throws VfsException {
        if (!p.credentials().isRoot()) {
            throw new VfsException(Errno.EPERM, op, path);
        }
    }

    /**
     * Resolves an existing path for a mount call, symbolic links followed. Linux looks the path up
     * before it checks privilege (ksys_umount, do_mount), so walk errors such as ENOENT come before
     * EPERM.
     */
    private static Resolved resolve(Process p, String op, String path) throws VfsException {
        Namei nd = p.namei(op, Fcntl.AT_FDCWD, path).walkParent();
        return new Resolved(nd, nd.lookupExisting(true));
    }

    /** A resolved path: the walk (whose mount is the result's) and the inode it names. */
    private record Resolved(Namei nd, Inode inode) {
        /** The directory named, else ENOTDIR; also sets the walk's directory to it. */
        Namei directory() throws VfsException {
            if (!(inode instanceof Directory d)) {
                throw nd.error(Errno.ENOTDIR);
            }
            nd.dir = d;
            return nd;
        }
    }

    static void mount(Process p, VolumeSpec spec, String target, Set<MountFlag> flags)
            throws VfsException {
        Preconditions.checkNotNull(spec, "volume");
        Preconditions.checkNotNull(flags, "flags");
        Lock l = p.writeLock();
        try {
            Resolved t = resolve(p, "mount", target);
            requireRoot(p, "mount", target);
            Namei nd = t.directory();
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
            Resolved t = resolve(p, "mount", target);
            requireRoot(p, "mount", target);
            Namei src = resolve(p, "mount", source).directory();
            if (src.dir.dead) {
                throw src.error(Errno.ENOENT);
            }
            Namei nd = t.directory();
            p.vfs.attach(src.dir.volume, src.dir, nd.mount, nd.dir, flags);
        } finally {
            l.unlock();
        }
    }

    /**
     * The mount whose root {@code target} names, for root only (EPERM, after the lookup); EINVAL if
     * it names no mount's root, a non-directory included (Linux's can_umount, do_remount).
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
     * Whether a file open for writing forbids going read-only: on this mount, or on the whole
     * volume.
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
