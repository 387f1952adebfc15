package io.pagevfs.core;

import com.google.common.base.Preconditions;
import java.util.concurrent.locks.Lock;

/**
 * The namespace system calls: stat, mkdir, mknod, rmdir, unlink, rename, link, symlink, readlink,
 * chmod, chown, utimensat, access, truncate, chdir/chroot and execve.
 *
 * <p>Each follows the order in which Linux's VFS fires its checks (fs/namei.c, fs/open.c,
 * fs/attr.c), because which errno a refused call gets is part of the contract: path walk errors
 * first (EACCES, ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG), then per-call rules. Notably, a call that
 * would create or remove a name on a read-only mount fails EROFS before looking at permissions or
 * at whether the name exists (unlink of a missing name is EROFS; mkdir of an existing one EEXIST).
 */
final class PathCalls {
    private PathCalls() {}

    static VfsException err(Errno e, Namei nd) {
        return nd.error(e);
    }

    // ---- lookup-only calls ---------------------------------------------------------------------

    static Stat stat(Process p, int dirfd, String path, int flags) throws VfsException {
        checkFlags("stat", path, flags, Fcntl.AT_SYMLINK_NOFOLLOW);
        Lock l = p.readLock();
        try {
            Namei nd = p.namei("stat", dirfd, path).walkParent();
            return nd.lookupExisting((flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0).stat();
        } finally {
            l.unlock();
        }
    }

    static void checkFlags(String op, String path, int flags, int allowed) throws VfsException {
        if ((flags & ~allowed) != 0) {
            throw new VfsException(Errno.EINVAL, op, path);
        }
    }

    static String readlink(Process p, int dirfd, String path) throws VfsException {
        Lock l = p.readLock();
        try {
            Namei nd = p.namei("readlink", dirfd, path).walkParent();
            Inode i = nd.lookupExisting(false);
            if (!(i instanceof Symlink link)) {
                throw err(Errno.EINVAL, nd);
            }
            link.touchAccessed(p.vfs.now());
            return link.target;
        } finally {
            l.unlock();
        }
    }

    /**
     * realpath(3): the canonical absolute path of an existing file, every symbolic link resolved.
     */
    static String realpath(Process p, String path) throws VfsException {
        Lock l = p.readLock();
        try {
            Namei nd = p.namei("realpath", Fcntl.AT_FDCWD, path).walkParent();
            Inode i = nd.lookupExisting(true);
            String where =
                    i instanceof Directory d
                            ? Paths.path(nd.mount, d, p.rootMount, p.root)
                            : Paths.path(nd.mount, nd.dir, p.rootMount, p.root);
            if (where == null) {
                throw err(Errno.ENOENT, nd);
            }
            if (i instanceof Directory) {
                return where;
            }
            return (where.equals("/") ? "/" : where + "/") + nd.lastName();
        } finally {
            l.unlock();
        }
    }

    static void access(Process p, int dirfd, String path, int mode, int flags) throws VfsException {
        if ((mode & ~7) != 0) {
            throw new VfsException(Errno.EINVAL, "access", path);
        }
        checkFlags("access", path, flags, Fcntl.AT_EACCESS | Fcntl.AT_SYMLINK_NOFOLLOW);
        Credentials as =
                (flags & Fcntl.AT_EACCESS) != 0 ? p.credentials() : p.credentials().asReal();
        Lock l = p.readLock();
        try {
            Namei nd = p.namei("access", dirfd, path, as).walkParent();
            Inode i = nd.lookupExisting((flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
            if ((mode & Mode.X_OK) != 0
                    && i instanceof RegularFile
                    && nd.mount.has(MountFlag.NOEXEC)) {
                throw err(Errno.EACCES, nd);
            }
            Errno e = Access.inodePermission(as, i, mode);
            if (e != null) {
                throw err(e, nd);
            }
            if ((mode & Mode.W_OK) != 0 && !i.type().isDevice() && nd.mount.isReadOnly()) {
                throw err(Errno.EROFS, nd);
            }
        } finally {
            l.unlock();
        }
    }

    // ---- creating names ------------------------------------------------------------------------

    /**
     * Linux's {@code filename_create}: the final name must be an ordinary one that does not exist
     * (EEXIST); a trailing slash is only for directories (ENOENT); then the mount must be writable
     * (EROFS). Returns the name to create in {@code nd.dir}.
     */
    static String filenameCreate(Namei nd, boolean wantDir) throws VfsException {
        if (nd.lastType != Namei.LAST_NORM) {
            throw err(Errno.EEXIST, nd);
        }
        if (nd.lookupEntry() != null) {
            throw err(Errno.EEXIST, nd);
        }
        if (nd.trailingSlash && !wantDir) {
            throw err(Errno.ENOENT, nd);
        }
        if (nd.mount.isReadOnly()) {
            throw err(Errno.EROFS, nd);
        }
        return nd.lastName();
    }

    static void mayCreate(Process p, Namei nd) throws VfsException {
        Errno e = Access.mayCreate(p.credentials(), nd.dir);
        if (e != null) {
            throw err(e, nd);
        }
    }

    /** The group of a new inode: the directory's if it is set-group-id, else the creator's. */
    @SuppressWarnings("GuardedBy")
    static int newGid(Process p, Directory dir) {
        return (dir.mode & Mode.S_ISGID) != 0 ? dir.gid : p.credentials().egid();
    }

    /**
     * The permission bits of a new non-directory: the request less the umask; set-group-id is
     * dropped when the file's group is not the creator's and the creator is not root.
     */
    static int newFilePerms(Process p, int mode, int gid) {
        int perms = mode & Mode.PERMISSION_BITS & ~p.umaskBits();
        Credentials c = p.credentials();
        if ((perms & (Mode.S_ISGID | Mode.S_IXGRP)) == (Mode.S_ISGID | Mode.S_IXGRP)
                && !c.inGroup(gid)
                && !c.isRoot()) {
            perms &= ~Mode.S_ISGID;
        }
        return perms;
    }

    /** Enters {@code child} under {@code name} in {@code dir} and updates link counts and times. */
    static void addEntry(Vfs vfs, Directory dir, String name, Inode child) {
        addEntry(vfs, dir, name, child, vfs.now());
    }

    /**
     * {@link #addEntry(Vfs, Directory, String, Inode)} at the time {@code now} the caller already
     * read (to stamp a new inode), so one call reads the clock once, as Linux's current_time.
     */
    @SuppressWarnings("GuardedBy")
    static void addEntry(Vfs vfs, Directory dir, String name, Inode child, long now) {
        dir.entries.put(name, child);
        vfs.notifier.linked(dir, name, child);
        synchronized (child) {
            child.nlink += child.isDirectory() ? 2 : 1;
            child.ctime = now;
        }
        synchronized (dir) {
            if (child.isDirectory()) {
                dir.nlink++;
            }
            dir.mtime = now;
            dir.ctime = now;
        }
    }

    static void mkdir(Process p, int dirfd, String path, int mode) throws VfsException {
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei("mkdir", dirfd, path).walkParent();
            String name = filenameCreate(nd, true);
            mayCreate(p, nd);
            int gid = newGid(p, nd.dir);
            int perms =
                    mode
                            & (Mode.S_IRWXU | Mode.S_IRWXG | Mode.S_IRWXO | Mode.S_ISVTX)
                            & ~p.umaskBits();
            @SuppressWarnings("GuardedBy")
            int parentSgid = nd.dir.mode & Mode.S_ISGID;
            Directory d =
                    new Directory(
                            nd.dir.volume,
                            perms | parentSgid,
                            p.credentials().euid(),
                            gid,
                            p.vfs.now(),
                            nd.dir);
            addEntry(p.vfs, nd.dir, name, d);
        } finally {
            l.unlock();
        }
    }

    static void mknod(Process p, int dirfd, String path, int mode, long rdev) throws VfsException {
        int type = mode & Mode.S_IFMT;
        switch (type) {
            case 0, Mode.S_IFREG, Mode.S_IFCHR, Mode.S_IFBLK:
                break;
            case Mode.S_IFDIR:
                throw new VfsException(Errno.EPERM, "mknod", path);
            case Mode.S_IFIFO, Mode.S_IFSOCK:
                throw new VfsException(
                        Errno.ENOTSUP, "mknod (FIFOs and sockets are not supported)", path);
            default:
                throw new VfsException(Errno.EINVAL, "mknod", path);
        }
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei("mknod", dirfd, path).walkParent();
            String name = filenameCreate(nd, false);
            mayCreate(p, nd);
            boolean device = type == Mode.S_IFCHR || type == Mode.S_IFBLK;
            if (device && !p.credentials().isRoot()) {
                throw err(Errno.EPERM, nd);
            }
            int gid = newGid(p, nd.dir);
            int perms = newFilePerms(p, mode, gid);
            int uid = p.credentials().euid();
            long now = p.vfs.now();
            Inode node =
                    device
                            ? new DeviceNode(nd.dir.volume, type | perms, rdev, uid, gid, now)
                            : new RegularFile(nd.dir.volume, perms, uid, gid, now);
            addEntry(p.vfs, nd.dir, name, node);
        } finally {
            l.unlock();
        }
    }

    static void symlink(Process p, String target, int dirfd, String path) throws VfsException {
        Namei.checkPath("symlink", target);
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei("symlink", dirfd, path).walkParent();
            String name = filenameCreate(nd, false);
            mayCreate(p, nd);
            Symlink link =
                    new Symlink(
                            nd.dir.volume,
                            target,
                            p.credentials().euid(),
                            newGid(p, nd.dir),
                            p.vfs.now());
            addEntry(p.vfs, nd.dir, name, link);
        } finally {
            l.unlock();
        }
    }

    static void link(
            Process p, int oldDirfd, String oldPath, int newDirfd, String newPath, int flags)
            throws VfsException {
        checkFlags("link", oldPath, flags, Fcntl.AT_SYMLINK_FOLLOW);
        Lock l = p.writeLock();
        try {
            Namei old = p.namei("link", oldDirfd, oldPath).walkParent();
            Inode src = old.lookupExisting((flags & Fcntl.AT_SYMLINK_FOLLOW) != 0);
            Namei nd = p.namei("link", newDirfd, newPath).walkParent();
            String name = filenameCreate(nd, false);
            if (old.mount != nd.mount) {
                throw new VfsException(Errno.EXDEV, "link", oldPath, newPath);
            }
            if (p.vfs.config.protectedHardlinks() && !Access.mayLink(p.credentials(), src)) {
                throw new VfsException(Errno.EPERM, "link", oldPath, newPath);
            }
            mayCreate(p, nd);
            if (src.isDirectory()) {
                throw new VfsException(Errno.EPERM, "link", oldPath, newPath);
            }
            addEntry(p.vfs, nd.dir, name, src);
        } finally {
            l.unlock();
        }
    }

    // ---- removing names ------------------------------------------------------------------------

    static void unlinkAt(Process p, int dirfd, String path, int flags) throws VfsException {
        checkFlags("unlinkat", path, flags, Fcntl.AT_REMOVEDIR);
        if ((flags & Fcntl.AT_REMOVEDIR) != 0) {
            rmdir(p, dirfd, path);
        } else {
            unlink(p, dirfd, path);
        }
    }

    static void unlink(Process p, int dirfd, String path) throws VfsException {
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei("unlink", dirfd, path).walkParent();
            if (nd.lastType != Namei.LAST_NORM) {
                throw err(Errno.EISDIR, nd);
            }
            if (nd.mount.isReadOnly()) {
                throw err(Errno.EROFS, nd);
            }
            Inode victim = nd.lookupEntry();
            if (nd.trailingSlash) {
                throw err(
                        victim == null
                                ? Errno.ENOENT
                                : victim.isDirectory() ? Errno.EISDIR : Errno.ENOTDIR,
                        nd);
            }
            if (victim == null) {
                throw err(Errno.ENOENT, nd);
            }
            mayDelete(p, nd, victim, false);
            removeEntry(p.vfs, nd.dir, nd.lastName(), victim);
        } finally {
            l.unlock();
        }
    }

    static void mayDelete(Process p, Namei nd, Inode victim, boolean wantDir) throws VfsException {
        Errno e = Access.mayDelete(p.credentials(), nd.dir, victim, wantDir);
        if (e != null) {
            throw err(e, nd);
        }
        if (victim instanceof Directory d && d.mountCount > 0) {
            throw err(Errno.EBUSY, nd);
        }
    }

    /**
     * Removes the entry {@code name} (naming {@code victim}) from {@code dir}, updating counts and
     * times.
     */
    static void removeEntry(Vfs vfs, Directory dir, String name, Inode victim) {
        removeEntry(vfs, dir, name, victim, true);
    }

    /**
     * As {@link #removeEntry(Vfs, Directory, String, Inode)}; {@code report} is false when a rename
     * replaces the name, which inotify does not report as a deletion.
     */
    @SuppressWarnings("GuardedBy")
    static void removeEntry(Vfs vfs, Directory dir, String name, Inode victim, boolean report) {
        long now = vfs.now();
        dir.entries.remove(name);
        vfs.notifier.unlinked(dir, name, victim, report);
        dropLink(victim, dir, now);
        if (victim instanceof Directory d) {
            vfs.notifier.died(d);
        }
        synchronized (dir) {
            dir.mtime = now;
            dir.ctime = now;
        }
    }

    /**
     * One name of {@code victim} (in {@code dir}) is gone; a directory loses "." and its parent's
     * link.
     */
    @SuppressWarnings("GuardedBy")
    private static void dropLink(Inode victim, Directory dir, long now) {
        synchronized (victim) {
            if (victim instanceof Directory d) {
                victim.nlink = 0;
                d.dead = true;
            } else {
                victim.nlink--;
            }
            victim.ctime = now;
            victim.releaseIfUnused();
        }
        if (victim.isDirectory()) {
            synchronized (dir) {
                dir.nlink--;
            }
        }
    }

    static void rmdir(Process p, int dirfd, String path) throws VfsException {
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei("rmdir", dirfd, path).walkParent();
            switch (nd.lastType) {
                case Namei.LAST_DOTDOT:
                    throw err(Errno.ENOTEMPTY, nd);
                case Namei.LAST_DOT:
                    throw err(Errno.EINVAL, nd);
                case Namei.LAST_ROOT:
                    throw err(Errno.EBUSY, nd);
                default:
                    break;
            }
            if (nd.mount.isReadOnly()) {
                throw err(Errno.EROFS, nd);
            }
            Inode victim = nd.lookupEntry();
            if (victim == null) {
                throw err(Errno.ENOENT, nd);
            }
            mayDelete(p, nd, victim, true);
            if (!((Directory) victim).entries.isEmpty()) {
                throw err(Errno.ENOTEMPTY, nd);
            }
            removeEntry(p.vfs, nd.dir, nd.lastName(), victim);
        } finally {
            l.unlock();
        }
    }

    static void rename(
            Process p, int oldDirfd, String oldPath, int newDirfd, String newPath, int flags)
            throws VfsException {
        checkFlags("rename", oldPath, flags, Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_EXCHANGE);
        if (flags == (Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_EXCHANGE)) {
            throw new VfsException(Errno.EINVAL, "rename", oldPath, newPath);
        }
        Lock l = p.writeLock();
        try {
            Rename r = new Rename(p, oldDirfd, oldPath, newDirfd, newPath, flags);
            r.check();
            r.apply();
        } finally {
            l.unlock();
        }
    }

    // ---- attributes ----------------------------------------------------------------------------

    /** Resolves for an attribute change: the inode, after EROFS for a read-only mount. */
    private static Inode resolveForChange(Process p, String op, int dirfd, String path, int flags)
            throws VfsException {
        Namei nd = p.namei(op, dirfd, path).walkParent();
        Inode i = nd.lookupExisting((flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
        if (nd.mount.isReadOnly()) {
            throw err(Errno.EROFS, nd);
        }
        return i;
    }

    static void chmod(Process p, int dirfd, String path, int mode, int flags) throws VfsException {
        checkFlags("chmod", path, flags, Fcntl.AT_SYMLINK_NOFOLLOW);
        Lock l = p.writeLock();
        try {
            Inode i = resolveForChange(p, "chmod", dirfd, path, flags);
            if (i instanceof Symlink) {
                throw new VfsException(Errno.ENOTSUP, "chmod", path);
            }
            setMode(p, i, mode, "chmod", path);
        } finally {
            l.unlock();
        }
    }

    static void fchmod(Process p, int fd, int mode) throws VfsException {
        Lock l = p.writeLock();
        try {
            OpenFile f = p.file("fchmod", fd);
            if (f.mount.isReadOnly()) {
                throw new VfsException(Errno.EROFS, "fchmod", f.path);
            }
            setMode(p, f.inode, mode, "fchmod", f.path);
        } finally {
            l.unlock();
        }
    }

    /**
     * Linux's setattr_prepare for ATTR_MODE: owner or root; set-group-id needs the file's group.
     */
    @SuppressWarnings("GuardedBy")
    private static void setMode(Process p, Inode i, int mode, String op, String path)
            throws VfsException {
        Credentials c = p.credentials();
        synchronized (i) {
            if (!Access.ownerOrRoot(c, i)) {
                throw new VfsException(Errno.EPERM, op, path);
            }
            int perms = mode & Mode.PERMISSION_BITS;
            if (!c.inGroup(i.gid) && !c.isRoot()) {
                perms &= ~Mode.S_ISGID;
            }
            i.mode = (i.mode & Mode.S_IFMT) | perms;
            i.ctime = p.vfs.now();
        }
        p.vfs.notifier.modified(i); // IN_ATTRIB
    }

    static void chown(Process p, int dirfd, String path, int uid, int gid, int flags)
            throws VfsException {
        checkFlags("chown", path, flags, Fcntl.AT_SYMLINK_NOFOLLOW);
        Lock l = p.writeLock();
        try {
            Inode i = resolveForChange(p, "chown", dirfd, path, flags);
            setOwner(p, i, uid, gid, "chown", path);
        } finally {
            l.unlock();
        }
    }

    static void fchown(Process p, int fd, int uid, int gid) throws VfsException {
        Lock l = p.writeLock();
        try {
            OpenFile f = p.file("fchown", fd);
            if (f.mount.isReadOnly()) {
                throw new VfsException(Errno.EROFS, "fchown", f.path);
            }
            setOwner(p, f.inode, uid, gid, "fchown", f.path);
        } finally {
            l.unlock();
        }
    }

    /**
     * Linux's chown_common and setattr_prepare: changing the uid needs root (the owner may only
     * "change" it to itself); changing the gid needs root or the owner moving to one of its groups.
     * Any chown of a non-directory clears set-user-id, and set-group-id when group-execute is set
     * or the caller is neither root nor in the file's group ({@link Access#dropsSgid}), whoever the
     * caller is; that clearing is a mode change, which needs the owner or root, so a non-owner's
     * {@code chown(path, -1, -1)} of a set-id file is EPERM.
     */
    @SuppressWarnings("GuardedBy")
    private static void setOwner(Process p, Inode i, int uid, int gid, String op, String path)
            throws VfsException {
        if (uid < -1 || gid < -1) {
            throw new VfsException(Errno.EINVAL, op, path);
        }
        Credentials c = p.credentials();
        boolean changed;
        synchronized (i) {
            boolean owner = c.euid() == i.uid;
            if (uid != -1 && !c.isRoot() && !(owner && uid == i.uid)) {
                throw new VfsException(Errno.EPERM, op, path);
            }
            if (gid != -1 && !c.isRoot() && !(owner && (gid == i.gid || c.inGroup(gid)))) {
                throw new VfsException(Errno.EPERM, op, path);
            }
            changed = uid != -1 || gid != -1;
            if (!i.isDirectory()) {
                int mode = i.mode & ~Mode.S_ISUID;
                if (Access.dropsSgid(c, mode, i.gid)) {
                    mode &= ~Mode.S_ISGID;
                }
                if (mode != i.mode && !Access.ownerOrRoot(c, i)) {
                    throw new VfsException(Errno.EPERM, op, path);
                }
                changed |= mode != i.mode;
                i.mode = mode;
            }
            if (uid != -1) {
                i.uid = uid;
            }
            if (gid != -1) {
                i.gid = gid;
            }
            i.ctime = p.vfs.now();
        }
        if (changed) {
            p.vfs.notifier.modified(i); // IN_ATTRIB, as fsnotify_change for ATTR_UID/GID/MODE
        }
    }

    static void utimens(Process p, int dirfd, String path, long atime, long mtime, int flags)
            throws VfsException {
        Preconditions.checkNotNull(path, "path");
        checkFlags("utimensat", path, flags, Fcntl.AT_SYMLINK_NOFOLLOW);
        if (atime == Fcntl.UTIME_OMIT && mtime == Fcntl.UTIME_OMIT) {
            return; // Linux succeeds at once, even for a missing file
        }
        Lock l = p.writeLock();
        try {
            Inode i = resolveForChange(p, "utimensat", dirfd, path, flags);
            setTimes(p, i, atime, mtime, path);
        } finally {
            l.unlock();
        }
    }

    static void futimens(Process p, int fd, long atime, long mtime) throws VfsException {
        if (atime == Fcntl.UTIME_OMIT && mtime == Fcntl.UTIME_OMIT) {
            return; // as utimensat: success at once
        }
        Lock l = p.writeLock();
        try {
            OpenFile f = p.file("futimens", fd);
            if (f.mount.isReadOnly()) {
                throw new VfsException(Errno.EROFS, "futimens", f.path);
            }
            setTimes(p, f.inode, atime, mtime, f.path);
        } finally {
            l.unlock();
        }
    }

    /**
     * Linux's setattr_prepare for times: both "now" needs the owner, root or write permission
     * (EACCES); anything else needs the owner or root (EPERM).
     */
    @SuppressWarnings("GuardedBy")
    private static void setTimes(Process p, Inode i, long atime, long mtime, String path)
            throws VfsException {
        Credentials c = p.credentials();
        long now = p.vfs.now();
        synchronized (i) {
            if (!Access.ownerOrRoot(c, i)) {
                if (atime == Fcntl.UTIME_NOW && mtime == Fcntl.UTIME_NOW) {
                    Errno e = Access.inodePermission(c, i, Access.MAY_WRITE);
                    if (e != null) {
                        throw new VfsException(e, "utimensat", path);
                    }
                } else {
                    throw new VfsException(Errno.EPERM, "utimensat", path);
                }
            }
            if (atime != Fcntl.UTIME_OMIT) {
                i.atime = atime == Fcntl.UTIME_NOW ? now : atime;
            }
            if (mtime != Fcntl.UTIME_OMIT) {
                i.mtime = mtime == Fcntl.UTIME_NOW ? now : mtime;
            }
            i.ctime = now;
        }
        if (mtime != Fcntl.UTIME_OMIT) {
            // fsnotify_change: both times IN_ATTRIB, mtime alone IN_MODIFY, atime alone IN_ACCESS
            // (which java.nio does not report)
            p.vfs.notifier.modified(i);
        }
    }

    static void truncate(Process p, String path, long length) throws VfsException {
        if (length < 0) {
            throw new VfsException(Errno.EINVAL, "truncate", path);
        }
        Inode i;
        Lock l = p.readLock();
        try {
            Namei nd = p.namei("truncate", Fcntl.AT_FDCWD, path).walkParent();
            i = nd.lookupExisting(true);
            if (i.isDirectory()) {
                throw err(Errno.EISDIR, nd);
            }
            if (!(i instanceof RegularFile)) {
                throw err(Errno.EINVAL, nd);
            }
            // Linux's vfs_truncate checks permission before the mount: on a read-only bind of a
            // writable volume a caller without write permission gets EACCES, not EROFS.
            Errno e = Access.inodePermission(p.credentials(), i, Access.MAY_WRITE);
            if (e != null) {
                throw err(e, nd);
            }
            if (nd.mount.isReadOnly()) {
                throw err(Errno.EROFS, nd);
            }
        } finally {
            l.unlock();
        }
        FileCalls.truncateFile(p, (RegularFile) i, length);
    }

    // ---- working directory, root, exec
    // -----------------------------------------------------------

    static void chdir(Process p, String path, boolean chroot) throws VfsException {
        String op = chroot ? "chroot" : "chdir";
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei(op, Fcntl.AT_FDCWD, path).walkParent();
            Inode i = nd.lookupExisting(true);
            if (!(i instanceof Directory d)) {
                throw err(Errno.ENOTDIR, nd);
            }
            if (!Access.permitted(p.credentials(), d, Access.MAY_EXEC)) {
                throw err(Errno.EACCES, nd);
            }
            if (chroot) {
                if (!p.credentials().isRoot()) {
                    throw err(Errno.EPERM, nd);
                }
                p.rootMount = nd.mount;
                p.root = d;
            } else {
                p.cwdMount = nd.mount;
                p.cwd = d;
            }
        } finally {
            l.unlock();
        }
    }

    static void fchdir(Process p, int fd) throws VfsException {
        Lock l = p.writeLock();
        try {
            OpenFile f = p.file("fchdir", fd);
            if (!(f.inode instanceof Directory d)) {
                throw new VfsException(Errno.ENOTDIR, "fchdir", f.path);
            }
            if (!Access.permitted(p.credentials(), d, Access.MAY_EXEC)) {
                throw new VfsException(Errno.EACCES, "fchdir", f.path);
            }
            p.cwdMount = f.mount;
            p.cwd = d;
        } finally {
            l.unlock();
        }
    }

    static String getcwd(Process p) throws VfsException {
        Lock l = p.readLock();
        try {
            p.checkAlive("getcwd");
            String path = p.cwd.dead ? null : Paths.path(p.cwdMount, p.cwd, p.rootMount, p.root);
            if (path == null) {
                throw new VfsException(Errno.ENOENT, "getcwd", null);
            }
            return path;
        } finally {
            l.unlock();
        }
    }

    @SuppressWarnings("GuardedBy")
    static void execve(Process p, String path) throws VfsException {
        Credentials c = p.credentials();
        Lock l = p.readLock();
        try {
            Namei nd = p.namei("execve", Fcntl.AT_FDCWD, path).walkParent();
            Inode i = nd.lookupExisting(true);
            if (!(i instanceof RegularFile) || nd.mount.has(MountFlag.NOEXEC)) {
                throw err(Errno.EACCES, nd);
            }
            if (!Access.permitted(c, i, Access.MAY_EXEC)) {
                throw err(Errno.EACCES, nd);
            }
            int euid = c.euid();
            int egid = c.egid();
            synchronized (i) {
                if (i.writeCount > 0) {
                    throw err(Errno.ETXTBSY, nd);
                }
                if (!nd.mount.has(MountFlag.NOSUID)) {
                    euid = (i.mode & Mode.S_ISUID) != 0 ? i.uid : euid;
                    egid =
                            (i.mode & (Mode.S_ISGID | Mode.S_IXGRP))
                                            == (Mode.S_ISGID | Mode.S_IXGRP)
                                    ? i.gid
                                    : egid;
                }
            }
            p.setCredentialsInternal(c.withEffective(euid, egid));
        } finally {
            l.unlock();
        }
        for (int fd : p.openDescriptors()) {
            if (p.fds.isCloseOnExec(fd)) {
                FileCalls.close(p, fd);
            }
        }
    }
}
