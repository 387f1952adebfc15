package io.pagevfs.core;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Discretionary access control as Linux decides it. Policy only: every method returns a verdict
 * ({@code null} for "allowed", else the errno) and changes nothing; callers raise the error with
 * the operation and path.
 *
 * <p>The rules, from Linux's {@code generic_permission} and friends: exactly one class applies
 * (owner if the effective uid owns the file, else group if the file's group is the effective or a
 * supplementary group, else other) with no fall-through to a more permissive class. Root (effective
 * uid 0) may read and write anything and search any directory, but executes a non-directory only if
 * at least one of its execute bits is set.
 *
 * <p>Callers hold the tree lock or the inode's monitor so that mode, uid and gid are consistent.
 */
final class Access {
    private Access() {}

    static final int MAY_EXEC = 1;
    static final int MAY_WRITE = 2;
    static final int MAY_READ = 4;

    /** The DAC decision alone, for a file with the given mode, owner and group. */
    static boolean permitted(Credentials c, int mode, int uid, int gid, int mask) {
        mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
        int bits = mode;
        if (c.euid() == uid) {
            bits >>= 6;
        } else if (c.inGroup(gid)) {
            bits >>= 3;
        }
        if ((mask & ~bits & 7) == 0) {
            return true;
        }
        if (!c.isRoot()) {
            return false;
        }
        boolean dir = (mode & Mode.S_IFMT) == Mode.S_IFDIR;
        return dir || (mask & MAY_EXEC) == 0 || (mode & Mode.S_IXUGO) != 0;
    }

    @SuppressWarnings("GuardedBy")
    static boolean permitted(Credentials c, Inode i, int mask) {
        return permitted(c, i.mode, i.uid, i.gid, mask);
    }

    /**
     * Linux's {@code inode_permission}: a write to a regular file, directory or symlink on a
     * read-only volume (superblock) is EROFS before any DAC check; then DAC gives EACCES.
     */
    @Nullable
    static Errno inodePermission(Credentials c, Inode i, int mask) {
        if ((mask & MAY_WRITE) != 0 && i.volume.readOnly && !i.type().isDevice()) {
            return Errno.EROFS;
        }
        return permitted(c, i, mask) ? null : Errno.EACCES;
    }

    /** Linux's {@code inode_owner_or_capable}: the effective uid owns the file, or is root. */
    @SuppressWarnings("GuardedBy")
    static boolean ownerOrRoot(Credentials c, Inode i) {
        return c.isRoot() || c.euid() == i.uid;
    }

    /**
     * Whether a sticky directory forbids {@code c} to remove or rename {@code victim} from {@code
     * dir}: only the file's owner, the directory's owner or root may.
     */
    @SuppressWarnings("GuardedBy")
    static boolean stickyForbids(Credentials c, Directory dir, Inode victim) {
        return (dir.mode & Mode.S_ISVTX) != 0
                && c.euid() != victim.uid
                && c.euid() != dir.uid
                && !c.isRoot();
    }

    /** Linux's {@code may_create}: the directory is live and writable and searchable. */
    @Nullable
    @SuppressWarnings("GuardedBy")
    static Errno mayCreate(Credentials c, Directory dir) {
        if (dir.dead) {
            return Errno.ENOENT;
        }
        return inodePermission(c, dir, MAY_WRITE | MAY_EXEC);
    }

    /**
     * Linux's {@code may_delete}: {@code dir} is writable and searchable, the sticky bit does not
     * forbid it, and the victim's type fits the call (rmdir wants a directory, unlink a
     * non-directory).
     */
    @Nullable
    static Errno mayDelete(Credentials c, Directory dir, Inode victim, boolean wantDir) {
        Errno e = inodePermission(c, dir, MAY_WRITE | MAY_EXEC);
        if (e != null) {
            return e;
        }
        if (stickyForbids(c, dir, victim)) {
            return Errno.EPERM;
        }
        if (wantDir && !victim.isDirectory()) {
            return Errno.ENOTDIR;
        }
        if (!wantDir && victim.isDirectory()) {
            return Errno.EISDIR;
        }
        return null;
    }

    /**
     * Linux's {@code setattr_should_drop_suidgid} for a write or truncate by a caller without
     * CAP_FSETID (not root): the mode without the set-id bits it clears. Set-user-id always goes;
     * set-group-id as {@link #dropsSgid} says.
     */
    static int killSuid(Credentials c, int mode, int gid) {
        int kill = mode & Mode.S_ISUID;
        if (dropsSgid(c, mode, gid)) {
            kill |= Mode.S_ISGID;
        }
        return mode & ~kill;
    }

    /**
     * Linux's {@code setattr_should_drop_sgid}: a set-group-id bit is cleared by a write, truncate
     * or chown when group-execute is set, or when the caller is neither in the file's group nor
     * root.
     */
    static boolean dropsSgid(Credentials c, int mode, int gid) {
        return (mode & Mode.S_ISGID) != 0
                && ((mode & Mode.S_IXGRP) != 0 || !(c.isRoot() || c.inGroup(gid)));
    }

    /**
     * Linux's {@code may_linkat} with {@code fs.protected_hardlinks = 1}: the owner or root may
     * link anything; others only a regular file that is not set-id and that they may read and
     * write.
     */
    @SuppressWarnings("GuardedBy")
    static boolean mayLink(Credentials c, Inode i) {
        if (ownerOrRoot(c, i)) {
            return true;
        }
        int mode = i.mode;
        boolean setId =
                (mode & Mode.S_ISUID) != 0
                        || (mode & (Mode.S_ISGID | Mode.S_IXGRP)) == (Mode.S_ISGID | Mode.S_IXGRP);
        return i instanceof RegularFile
                && !setId
                && inodePermission(c, i, MAY_READ | MAY_WRITE) == null;
    }
}
