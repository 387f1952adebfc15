package io.pagevfs.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Extended attributes in the {@code user.} namespace, with Linux's rules (fs/xattr.c): names of 1
 * to 255 bytes (ERANGE), values up to 64 KiB (E2BIG), only regular files and directories carry them
 * (EPERM to set on others, ENODATA to read), a sticky directory's only for its owner or root, and
 * reading or writing needs read or write permission on the file. Other namespaces are ENOTSUP,
 * after Linux's permission rules for them (only root may touch "trusted." names); the bare prefix
 * "user." is EINVAL.
 */
final class Xattrs {
    private Xattrs() {}

    static final String USER_PREFIX = "user.";
    static final String TRUSTED_PREFIX = "trusted.";
    static final int NAME_MAX = 255;
    static final int SIZE_MAX = 65536;

    private static void checkName(String op, String path, String name) throws VfsException {
        int len = name.getBytes(StandardCharsets.UTF_8).length;
        if (len == 0 || len > NAME_MAX) {
            throw new VfsException(Errno.ERANGE, op, path);
        }
    }

    private static Inode resolve(Process p, String op, String path, boolean follow, boolean write)
            throws VfsException {
        Namei nd = p.namei(op, Fcntl.AT_FDCWD, path).walkParent();
        Inode i = nd.lookupExisting(follow);
        if (write && nd.mount.isReadOnly()) {
            throw nd.error(Errno.EROFS);
        }
        return i;
    }

    /**
     * Linux's xattr_permission, then the namespace check, then the name itself. "security." and
     * "system." names have no VFS rule; "trusted." names need root (CAP_SYS_ADMIN): anyone else
     * gets EPERM to write and ENODATA to read; every other name needs read or write permission on
     * the file, after the "user." rules. Only "user." names are supported (ENOTSUP for the rest),
     * and "user." alone names nothing (EINVAL, Linux's xattr_resolve_name).
     */
    @SuppressWarnings("GuardedBy")
    private static void checkPermission(
            Process p, Inode i, String name, boolean write, String op, String path)
            throws VfsException {
        Credentials c = p.credentials();
        if (name.startsWith(TRUSTED_PREFIX) && !c.isRoot()) {
            throw new VfsException(write ? Errno.EPERM : Errno.ENODATA, op, path);
        }
        boolean user = name.startsWith(USER_PREFIX);
        if (user) {
            if (!(i instanceof RegularFile) && !(i instanceof Directory)) {
                throw new VfsException(write ? Errno.EPERM : Errno.ENODATA, op, path);
            }
            if (write
                    && i.isDirectory()
                    && (i.mode & Mode.S_ISVTX) != 0
                    && !Access.ownerOrRoot(c, i)) {
                throw new VfsException(Errno.EPERM, op, path);
            }
        }
        if (leftToFilesystem(name)) {
            throw new VfsException(Errno.ENOTSUP, op, path);
        }
        Errno e = Access.inodePermission(c, i, write ? Access.MAY_WRITE : Access.MAY_READ);
        if (e != null) {
            throw new VfsException(e, op, path);
        }
        if (!user) {
            throw new VfsException(Errno.ENOTSUP, op, path);
        }
        if (name.length() == USER_PREFIX.length()) {
            // Linux's xattr_resolve_name: a bare prefix names no attribute.
            throw new VfsException(Errno.EINVAL, op, path);
        }
    }

    /** The namespaces xattr_permission leaves to the filesystem (for root, "trusted." too). */
    private static boolean leftToFilesystem(String name) {
        return name.startsWith("security.")
                || name.startsWith("system.")
                || name.startsWith(TRUSTED_PREFIX);
    }

    static void set(Process p, String path, String name, byte[] value, int flags, boolean follow)
            throws VfsException {
        String op = "setxattr";
        if ((flags & ~(Fcntl.XATTR_CREATE | Fcntl.XATTR_REPLACE)) != 0) {
            throw new VfsException(Errno.EINVAL, op, path);
        }
        checkName(op, path, name);
        if (value.length > SIZE_MAX) {
            throw new VfsException(Errno.E2BIG, op, path);
        }
        Lock l = p.readLock();
        try {
            Inode i = resolve(p, op, path, follow, true);
            checkPermission(p, i, name, true, op, path);
            synchronized (i) {
                boolean exists = i.getXattr(name) != null;
                if ((flags & Fcntl.XATTR_CREATE) != 0 && exists) {
                    throw new VfsException(Errno.EEXIST, op, path);
                }
                if ((flags & Fcntl.XATTR_REPLACE) != 0 && !exists) {
                    throw new VfsException(Errno.ENODATA, op, path);
                }
                i.putXattr(name, value.clone());
                i.ctime = p.vfs.now();
            }
            p.vfs.notifier.modified(i); // IN_ATTRIB
        } finally {
            l.unlock();
        }
    }

    static byte[] get(Process p, String path, String name, boolean follow) throws VfsException {
        String op = "getxattr";
        checkName(op, path, name);
        Lock l = p.readLock();
        try {
            Inode i = resolve(p, op, path, follow, false);
            checkPermission(p, i, name, false, op, path);
            synchronized (i) {
                byte[] v = i.getXattr(name);
                if (v == null) {
                    throw new VfsException(Errno.ENODATA, op, path);
                }
                return v.clone();
            }
        } finally {
            l.unlock();
        }
    }

    static List<String> list(Process p, String path, boolean follow) throws VfsException {
        Lock l = p.readLock();
        try {
            Inode i = resolve(p, "listxattr", path, follow, false);
            synchronized (i) {
                return new ArrayList<>(List.of(i.xattrNames()));
            }
        } finally {
            l.unlock();
        }
    }

    static void remove(Process p, String path, String name, boolean follow) throws VfsException {
        String op = "removexattr";
        checkName(op, path, name);
        Lock l = p.readLock();
        try {
            Inode i = resolve(p, op, path, follow, true);
            checkPermission(p, i, name, true, op, path);
            synchronized (i) {
                if (!i.removeXattr(name)) {
                    throw new VfsException(Errno.ENODATA, op, path);
                }
                i.ctime = p.vfs.now();
            }
            p.vfs.notifier.modified(i); // IN_ATTRIB
        } finally {
            l.unlock();
        }
    }
}
