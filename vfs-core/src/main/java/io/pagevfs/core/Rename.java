package io.pagevfs.core;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One renameat2(2) call under the tree write lock: {@link #check()} fires Linux's checks in
 * do_renameat2/vfs_rename order and changes nothing; {@link #apply()} then moves the names.
 *
 * <p>Order: path walks; EXDEV (different mounts); EBUSY for "." or ".." (EEXIST for a NOREPLACE
 * target); EROFS; ENOENT for a missing source; EEXIST (NOREPLACE) / ENOENT (EXCHANGE) for the
 * target; ENOTDIR for trailing slashes on non-directories; EINVAL when the source is an ancestor of
 * the new parent, ENOTEMPTY when the target is an ancestor of the old parent; then, unless source
 * and target are the same inode (a no-op), may_delete/may_create (EACCES, EPERM for sticky,
 * ENOTDIR/EISDIR for type mismatch), write permission on a directory that changes parent, EBUSY for
 * mount points, ENOTEMPTY for a non-empty target directory.
 */
final class Rename {
    private final Process p;
    private final int flags;
    private final String oldPath;
    private final String newPath;
    private final Namei from;
    private final Namei to;
    private Inode src;
    private @Nullable Inode dst;

    Rename(Process p, int oldDirfd, String oldPath, int newDirfd, String newPath, int flags)
            throws VfsException {
        this.p = p;
        this.flags = flags;
        this.oldPath = oldPath;
        this.newPath = newPath;
        this.from = p.namei("rename", oldDirfd, oldPath).walkParent();
        this.to = p.namei("rename", newDirfd, newPath).walkParent();
    }

    private VfsException fail(Errno e) {
        return new VfsException(e, "rename", oldPath, newPath);
    }

    private boolean exchange() {
        return (flags & Fcntl.RENAME_EXCHANGE) != 0;
    }

    void check() throws VfsException {
        if (from.mount != to.mount) {
            throw fail(Errno.EXDEV);
        }
        if (from.lastType != Namei.LAST_NORM) {
            throw fail(Errno.EBUSY);
        }
        if (to.lastType != Namei.LAST_NORM) {
            throw fail((flags & Fcntl.RENAME_NOREPLACE) != 0 ? Errno.EEXIST : Errno.EBUSY);
        }
        if (from.mount.isReadOnly()) {
            throw fail(Errno.EROFS);
        }
        src = from.lookupEntry();
        if (src == null) {
            throw fail(Errno.ENOENT);
        }
        dst = to.lookupEntry();
        checkTarget();
        checkAncestry();
        if (src != dst) {
            checkPermissions();
        }
    }

    private void checkTarget() throws VfsException {
        if ((flags & Fcntl.RENAME_NOREPLACE) != 0 && dst != null) {
            throw fail(Errno.EEXIST);
        }
        if (exchange() && dst == null) {
            throw fail(Errno.ENOENT);
        }
        if (!src.isDirectory() && (from.trailingSlash || (!exchange() && to.trailingSlash))) {
            throw fail(Errno.ENOTDIR);
        }
        if (exchange() && !dst.isDirectory() && to.trailingSlash) {
            throw fail(Errno.ENOTDIR);
        }
    }

    /** The loops rename must not create: a directory moved below itself, or over its ancestor. */
    private void checkAncestry() throws VfsException {
        if (src instanceof Directory s && isAncestorOrSelf(s, to.dir)) {
            throw fail(Errno.EINVAL);
        }
        if (dst instanceof Directory d && isAncestorOrSelf(d, from.dir)) {
            throw fail(exchange() ? Errno.EINVAL : Errno.ENOTEMPTY);
        }
    }

    private static boolean isAncestorOrSelf(Directory ancestor, Directory d) {
        for (Directory x = d; ; x = x.parent) {
            if (x == ancestor) {
                return true;
            }
            if (x.parent == x) {
                return false;
            }
        }
    }

    private void checkPermissions() throws VfsException {
        Credentials c = p.credentials();
        Errno e = Access.mayDelete(c, from.dir, src, src.isDirectory());
        if (e == null) {
            if (dst == null) {
                e = Access.mayCreate(c, to.dir);
            } else {
                e =
                        Access.mayDelete(
                                c, to.dir, dst, exchange() ? dst.isDirectory() : src.isDirectory());
            }
        }
        if (e == null && from.dir != to.dir) {
            e = reparentPermission(c, src);
            if (e == null && exchange()) {
                e = reparentPermission(c, dst);
            }
        }
        if (e != null) {
            throw fail(e);
        }
        if (isMountpoint(src) || isMountpoint(dst)) {
            throw fail(Errno.EBUSY);
        }
        if (!exchange() && dst instanceof Directory d && !d.entries.isEmpty()) {
            throw fail(Errno.ENOTEMPTY);
        }
    }

    /** A directory that moves to another parent must be writable: its ".." changes. */
    @Nullable
    private static Errno reparentPermission(Credentials c, Inode moved) {
        return moved.isDirectory() ? Access.inodePermission(c, moved, Access.MAY_WRITE) : null;
    }

    private static boolean isMountpoint(@Nullable Inode i) {
        return i instanceof Directory d && d.mountCount > 0;
    }

    @SuppressWarnings("GuardedBy")
    void apply() {
        if (src == dst) {
            return;
        }
        long now = p.vfs.now();
        String oldName = from.lastName();
        String newName = to.lastName();
        Notifier n = p.vfs.notifier;
        if (exchange()) {
            from.dir.entries.put(oldName, dst);
            to.dir.entries.put(newName, src);
            reparent(dst, to.dir, from.dir);
            // inotify: a move of each, IN_MOVED_FROM then IN_MOVED_TO
            n.unlinked(from.dir, oldName, src, true);
            n.linked(to.dir, newName, src);
            n.unlinked(to.dir, newName, dst, true);
            n.linked(from.dir, oldName, dst);
        } else {
            from.dir.entries.remove(oldName);
            n.unlinked(from.dir, oldName, src, true);
            if (dst != null) {
                PathCalls.removeEntry(p.vfs, to.dir, newName, dst, false);
            }
            to.dir.entries.put(newName, src);
            n.linked(to.dir, newName, src);
        }
        reparent(src, from.dir, to.dir);
        src.touchCtime(now);
        if (exchange()) {
            dst.touchCtime(now);
        }
        from.dir.touchModified(now);
        to.dir.touchModified(now);
    }

    /** Moves a directory's ".." from {@code oldParent} to {@code newParent}. */
    @SuppressWarnings("GuardedBy")
    private static void reparent(Inode moved, Directory oldParent, Directory newParent) {
        if (moved instanceof Directory d && oldParent != newParent) {
            d.parent = newParent;
            synchronized (oldParent) {
                oldParent.nlink--;
            }
            synchronized (newParent) {
                newParent.nlink++;
            }
        }
    }
}
