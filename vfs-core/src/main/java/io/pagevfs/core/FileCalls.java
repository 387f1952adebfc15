package io.pagevfs.core;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * open(2) and the descriptor calls: read, write, pread, pwrite, lseek, ftruncate, readdir, dup and
 * close.
 *
 * <p>Locking: the tree lock is taken (read, or write when creating) only while resolving and
 * opening; I/O runs under the open file description's monitor (for the offset) and then the
 * inode's, never the tree lock, except to clear set-id bits.
 */
final class FileCalls {
    private FileCalls() {}

    /** tmpfs's s_maxbytes (MAX_LFS_FILESIZE on 64-bit Linux). */
    static final long MAX_FILE_SIZE = Long.MAX_VALUE;

    // ---- open ----------------------------------------------------------------------------------

    static int open(Process p, int dirfd, String path, int flags, int mode) throws VfsException {
        if ((flags & Fcntl.O_PATH) == Fcntl.O_PATH) {
            throw new VfsException(Errno.ENOTSUP, "open (O_PATH is not supported)", path);
        }
        if ((flags & (Fcntl.O_CREAT | Fcntl.O_DIRECTORY)) == (Fcntl.O_CREAT | Fcntl.O_DIRECTORY)) {
            throw new VfsException(Errno.EINVAL, "open", path);
        }
        if (p.fds.count() >= p.vfs.config.maxOpenFiles()) {
            throw new VfsException(Errno.EMFILE, "open", path);
        }
        boolean create = (flags & Fcntl.O_CREAT) != 0;
        OpenFile file;
        boolean truncate;
        Lock l = create ? p.writeLock() : p.readLock();
        try {
            Namei nd = p.namei("open", dirfd, path).walkParent();
            Inode inode =
                    create
                            ? lookupOrCreate(p, nd, flags, mode)
                            : nd.lookupExisting((flags & Fcntl.O_NOFOLLOW) == 0);
            file = mayOpen(p, nd, inode, flags, nd.created);
            truncate = truncates(inode, flags, nd.created);
        } finally {
            l.unlock();
        }
        if (truncate) {
            // Outside the tree lock, as Linux's do_open truncates after the lookup: clearing
            // set-id bits takes the tree write lock, which a reader of it cannot take.
            truncateFile(p, (RegularFile) file.inode, 0);
        }
        return install(p, file, flags);
    }

    /** Whether open truncates: O_TRUNC on an existing regular file. */
    private static boolean truncates(Inode inode, int flags, boolean created) {
        return !created && (flags & Fcntl.O_TRUNC) != 0 && inode instanceof RegularFile;
    }

    private static int install(Process p, OpenFile file, int flags) throws VfsException {
        int fd = p.fds.install(file, 0, (flags & Fcntl.O_CLOEXEC) != 0);
        if (fd < 0) {
            file.release();
            throw new VfsException(Errno.EMFILE, "open", file.path);
        }
        return fd;
    }

    /**
     * The O_CREAT half of Linux's open_last_lookups: a final ".", ".." or "/" names an existing
     * directory, so do_open gives EEXIST with O_EXCL and EISDIR without; a trailing slash on a name
     * is EISDIR; a final symbolic link is followed unless O_EXCL or O_NOFOLLOW; a missing file is
     * created (EROFS on a read-only mount, then may_create); an existing one with O_EXCL is EEXIST.
     */
    private static Inode lookupOrCreate(Process p, Namei nd, int flags, int mode)
            throws VfsException {
        while (true) {
            if (nd.lastType != Namei.LAST_NORM) {
                throw nd.error((flags & Fcntl.O_EXCL) != 0 ? Errno.EEXIST : Errno.EISDIR);
            }
            if (nd.trailingSlash) {
                throw nd.error(Errno.EISDIR);
            }
            Inode entry = nd.lookupEntry();
            if (entry == null) {
                return createFile(p, nd, mode);
            }
            if ((flags & Fcntl.O_EXCL) != 0) {
                throw nd.error(Errno.EEXIST);
            }
            if (entry instanceof Symlink link && (flags & Fcntl.O_NOFOLLOW) == 0) {
                nd.followFinalLink(link);
                continue;
            }
            Inode found = nd.lookupLast(false);
            if (found.isDirectory()) {
                throw nd.error(Errno.EISDIR);
            }
            return found;
        }
    }

    private static Inode createFile(Process p, Namei nd, int mode) throws VfsException {
        if (nd.mount.isReadOnly()) {
            throw nd.error(Errno.EROFS);
        }
        PathCalls.mayCreate(p, nd);
        int gid = PathCalls.newGid(p, nd.dir);
        long now = p.vfs.now();
        RegularFile f =
                new RegularFile(
                        nd.dir.volume,
                        PathCalls.newFilePerms(p, mode, gid),
                        p.credentials().euid(),
                        gid,
                        now);
        PathCalls.addEntry(p.vfs, nd.dir, nd.lastName(), f, now);
        nd.created = true;
        return f;
    }

    /**
     * Linux's do_open and may_open for an existing or just-created inode, then the open itself (the
     * caller truncates, outside the tree lock). A file this call created is opened without
     * permission checks, as Linux does.
     */
    private static OpenFile mayOpen(Process p, Namei nd, Inode inode, int flags, boolean created)
            throws VfsException {
        int acc = Fcntl.accessMode(flags);
        boolean wantsWrite = acc != Fcntl.O_RDONLY;
        if ((flags & Fcntl.O_DIRECTORY) != 0 && !inode.isDirectory()) {
            throw nd.error(Errno.ENOTDIR);
        }
        if (truncates(inode, flags, created) && nd.mount.isReadOnly()) {
            throw nd.error(Errno.EROFS);
        }
        if (!created) {
            checkOpenPermission(p, nd, inode, flags);
        }
        if (wantsWrite && !inode.type().isDevice() && nd.mount.isReadOnly()) {
            throw nd.error(Errno.EROFS);
        }
        DeviceHandler device = null;
        if (inode instanceof DeviceNode node) {
            device = p.vfs.config.device(node.type(), node.rdev());
            if (device == null) {
                throw nd.error(Errno.ENXIO);
            }
        }
        return new OpenFile(inode, nd.mount, nd.path, flags, device, p.vfs.locks);
    }

    /** may_open: the type rules, then inode_permission for the access asked for. */
    private static void checkOpenPermission(Process p, Namei nd, Inode inode, int flags)
            throws VfsException {
        int acc = Fcntl.accessMode(flags);
        int mask =
                (acc == Fcntl.O_RDONLY
                        ? Access.MAY_READ
                        : acc == Fcntl.O_WRONLY
                                ? Access.MAY_WRITE
                                : Access.MAY_READ | Access.MAY_WRITE);
        if ((flags & Fcntl.O_TRUNC) != 0) {
            mask |= Access.MAY_WRITE;
        }
        if (inode instanceof Symlink) {
            throw nd.error(Errno.ELOOP);
        }
        if (inode.isDirectory() && (mask & Access.MAY_WRITE) != 0) {
            throw nd.error(Errno.EISDIR);
        }
        if (inode.type().isDevice() && nd.mount.has(MountFlag.NODEV)) {
            throw nd.error(Errno.EACCES);
        }
        Errno e = Access.inodePermission(p.credentials(), inode, mask);
        if (e != null) {
            throw nd.error(e);
        }
        if ((flags & Fcntl.O_NOATIME) != 0 && !Access.ownerOrRoot(p.credentials(), inode)) {
            throw nd.error(Errno.EPERM);
        }
    }

    // ---- descriptors
    // -----------------------------------------------------------------------------

    static void close(Process p, int fd) throws VfsException {
        p.checkAlive("close");
        OpenFile f = p.fds.remove(fd);
        if (f == null) {
            throw new VfsException(Errno.EBADF, "close", "fd " + fd);
        }
        f.release();
        p.vfs.locks.wakeAll(); // a waiter for a lock through this descriptor gives up
    }

    static int dup(Process p, int fd) throws VfsException {
        OpenFile f = p.file("dup", fd);
        f.retain();
        int newFd = p.fds.install(f, 0, false);
        if (newFd < 0) {
            f.release();
            throw new VfsException(Errno.EMFILE, "dup", f.path);
        }
        return newFd;
    }

    static int dup2(Process p, int fd, int newFd) throws VfsException {
        OpenFile f = p.file("dup2", fd);
        if (!p.fds.validFd(newFd)) {
            throw new VfsException(Errno.EBADF, "dup2", "fd " + newFd);
        }
        if (fd == newFd) {
            return newFd;
        }
        f.retain();
        OpenFile old = p.fds.replace(newFd, f, false);
        if (old != null) {
            old.release();
        }
        return newFd;
    }

    static void setFlags(Process p, int fd, int flags) throws VfsException {
        OpenFile f = p.file("fcntl", fd);
        if ((flags & Fcntl.O_NOATIME) != 0 && !Access.ownerOrRoot(p.credentials(), f.inode)) {
            throw new VfsException(Errno.EPERM, "fcntl", f.path);
        }
        f.setStatusFlags(flags);
    }

    // ---- reading
    // ---------------------------------------------------------------------------------

    private static OpenFile readable(Process p, String op, int fd) throws VfsException {
        OpenFile f = p.file(op, fd);
        if (!f.canRead()) {
            throw new VfsException(Errno.EBADF, op, f.path);
        }
        return f;
    }

    /**
     * Linux's rw_verify_area: a read or write of {@code len} bytes at {@code pos} (not negative)
     * whose end would pass Long.MAX_VALUE is EINVAL, before anything is read or written.
     */
    private static void verifyArea(String op, OpenFile f, long pos, int len) throws VfsException {
        if (pos + len < 0) {
            throw new VfsException(Errno.EINVAL, op, f.path);
        }
    }

    /** A directory cannot be read (generic_read_dir), checked after rw_verify_area as Linux. */
    private static void notDirectory(String op, OpenFile f) throws VfsException {
        if (f.inode.isDirectory()) {
            throw new VfsException(Errno.EISDIR, op, f.path);
        }
    }

    /** read(2); {@code unused} keeps the signature parallel to write. */
    static int read(Process p, int fd, ByteBuffer dst, long unused) throws VfsException {
        Preconditions.checkNotNull(dst, "dst");
        OpenFile f = readable(p, "read", fd);
        synchronized (f) {
            long pos = f.offset();
            verifyArea("read", f, pos, dst.remaining());
            notDirectory("read", f);
            int n = readAt(p, f, dst, pos);
            f.setOffset(pos + n);
            return n;
        }
    }

    /** pread(2): a negative position is EINVAL before the descriptor is looked at, as Linux. */
    static int pread(Process p, int fd, ByteBuffer dst, long pos) throws VfsException {
        Preconditions.checkNotNull(dst, "dst");
        if (pos < 0) {
            throw new VfsException(Errno.EINVAL, "pread", "fd " + fd);
        }
        OpenFile f = readable(p, "pread", fd);
        verifyArea("pread", f, pos, dst.remaining());
        notDirectory("pread", f);
        return readAt(p, f, dst, pos);
    }

    private static int readAt(Process p, OpenFile f, ByteBuffer dst, long pos) throws VfsException {
        if (f.device != null) {
            return f.device.read(pos, dst);
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        RegularFile file = (RegularFile) f.inode;
        int n;
        try {
            n = file.read(pos, dst);
        } catch (IOException e) {
            throw hostFailure("read", f.path, e);
        }
        if ((f.statusFlags() & Fcntl.O_NOATIME) == 0) {
            file.touchAccessed(p.vfs.now());
        }
        return n;
    }

    static List<DirEntry> readdir(Process p, int fd) throws VfsException {
        OpenFile f = p.file("getdents", fd);
        if (!(f.inode instanceof Directory dir)) {
            throw new VfsException(Errno.ENOTDIR, "getdents", f.path);
        }
        List<DirEntry> out = new ArrayList<>();
        Lock l = p.readLock();
        try {
            if (dir.dead) {
                return out;
            }
            dir.entries.forEach(
                    (name, inode) -> out.add(new DirEntry(name, inode.ino, inode.type())));
        } finally {
            l.unlock();
        }
        dir.touchAccessed(p.vfs.now());
        return out;
    }

    // ---- writing
    // ---------------------------------------------------------------------------------

    private static OpenFile writable(Process p, String op, int fd) throws VfsException {
        OpenFile f = p.file(op, fd);
        if (!f.canWrite()) {
            throw new VfsException(Errno.EBADF, op, f.path);
        }
        return f;
    }

    static int write(Process p, int fd, ByteBuffer src, long unused) throws VfsException {
        Preconditions.checkNotNull(src, "src");
        OpenFile f = writable(p, "write", fd);
        if (f.device != null) {
            int n;
            synchronized (f) {
                n = f.device.write(f.offset(), src);
                f.setOffset(f.offset() + n);
            }
            return written(p, f, n);
        }
        RegularFile file = (RegularFile) f.inode;
        int n;
        synchronized (f) {
            long offset = f.offset();
            // rw_verify_area checks the file offset, even with O_APPEND.
            verifyArea("write", f, offset, src.remaining());
            long pos;
            synchronized (file) {
                pos = f.isAppend() ? file.size() : offset;
                n = writeAt(p, f, file, src, pos);
            }
            f.setOffset(pos + n);
        }
        killSuidAfterWrite(p, file, n);
        return written(p, f, n);
    }

    /** pwrite(2): a negative position is EINVAL before the descriptor is looked at, as Linux. */
    static int pwrite(Process p, int fd, ByteBuffer src, long pos) throws VfsException {
        Preconditions.checkNotNull(src, "src");
        if (pos < 0) {
            throw new VfsException(Errno.EINVAL, "pwrite", "fd " + fd);
        }
        OpenFile f = writable(p, "pwrite", fd);
        verifyArea("pwrite", f, pos, src.remaining());
        if (f.device != null) {
            return written(p, f, f.device.write(pos, src));
        }
        RegularFile file = (RegularFile) f.inode;
        int n;
        synchronized (file) {
            n = writeAt(p, f, file, src, f.isAppend() ? file.size() : pos);
        }
        killSuidAfterWrite(p, file, n);
        return written(p, f, n);
    }

    /**
     * After a write of {@code n} bytes, with no lock held: reports it (IN_MODIFY, only for {@code n
     * > 0} as Linux's vfs_write) and returns {@code n}.
     */
    private static int written(Process p, OpenFile f, int n) {
        if (n > 0) {
            p.vfs.notifier.modifiedNow(f.inode);
        }
        return n;
    }

    /**
     * Writes {@code src} at {@code pos}: EFBIG at or past the maximum size, a short write up to it,
     * and otherwise all or nothing (ENOSPC). Caller holds the file's monitor. With rw_verify_area
     * done first, only an O_APPEND position (the file size) can reach the maximum.
     */
    private static int writeAt(Process p, OpenFile f, RegularFile file, ByteBuffer src, long pos)
            throws VfsException {
        int len = src.remaining();
        if (len == 0) {
            return 0;
        }
        if (pos >= MAX_FILE_SIZE) {
            throw new VfsException(Errno.EFBIG, "write", f.path);
        }
        ByteBuffer part = src;
        if (len > MAX_FILE_SIZE - pos) {
            len = (int) (MAX_FILE_SIZE - pos);
            part = src.slice().limit(len);
        }
        boolean written;
        try {
            written = file.write(pos, part, p.vfs.now());
        } catch (IOException e) {
            throw hostFailure("write", f.path, e);
        }
        if (!written) {
            throw new VfsException(Errno.ENOSPC, "write", f.path);
        }
        if (part != src) {
            src.position(src.position() + len);
        }
        return len;
    }

    /**
     * Clears the set-id bits once a write has written {@code written} bytes. Linux clears them in
     * shmem_file_write_iter after the checks that can refuse a write and never for an empty one
     * (generic_write_checks returns first), so an empty or refused write keeps them; PageVFS clears
     * them after the bytes are in, so that a write failing ENOSPC changes nothing either.
     */
    private static void killSuidAfterWrite(Process p, RegularFile file, int written) {
        if (written > 0) {
            killSuid(p, file);
        }
    }

    /**
     * Linux's file_remove_privs: a write or truncate by a caller without CAP_FSETID (not root)
     * clears set-user-id, and set-group-id when group-execute is set or the caller is not in the
     * file's group ({@link Access#killSuid}). Mode changes take the tree write lock, so this is
     * checked cheaply first.
     */
    @SuppressWarnings("GuardedBy")
    static void killSuid(Process p, RegularFile file) {
        Credentials c = p.credentials();
        if (c.isRoot()) {
            return;
        }
        synchronized (file) {
            if (Access.killSuid(c, file.mode, file.gid) == file.mode) {
                return;
            }
        }
        Lock l = p.writeLock();
        try {
            synchronized (file) {
                file.mode = Access.killSuid(c, file.mode, file.gid);
            }
            p.vfs.notifier.modified(file); // IN_ATTRIB
        } finally {
            l.unlock();
        }
    }

    static long lseek(Process p, int fd, long offset, int whence) throws VfsException {
        OpenFile f = p.file("lseek", fd);
        if (f.inode.isDirectory() && whence != Fcntl.SEEK_SET && whence != Fcntl.SEEK_CUR) {
            // tmpfs directories (offset_dir_llseek) know only SEEK_SET and SEEK_CUR.
            throw new VfsException(Errno.EINVAL, "lseek", f.path);
        }
        synchronized (f) {
            long size = f.inode.size();
            long base;
            switch (whence) {
                case Fcntl.SEEK_SET:
                    base = 0;
                    break;
                case Fcntl.SEEK_CUR:
                    base = f.offset();
                    break;
                case Fcntl.SEEK_END:
                    base = size;
                    break;
                case Fcntl.SEEK_DATA, Fcntl.SEEK_HOLE:
                    if (offset < 0 || offset >= size) {
                        throw new VfsException(Errno.ENXIO, "lseek", f.path);
                    }
                    f.setOffset(whence == Fcntl.SEEK_DATA ? offset : size);
                    return f.offset();
                default:
                    throw new VfsException(Errno.EINVAL, "lseek", f.path);
            }
            long target = base + offset;
            boolean overflow = ((base ^ target) & (offset ^ target)) < 0;
            if (overflow || target < 0) {
                throw new VfsException(Errno.EINVAL, "lseek", f.path);
            }
            f.setOffset(target);
            return target;
        }
    }

    static void ftruncate(Process p, int fd, long length) throws VfsException {
        if (length < 0) {
            throw new VfsException(Errno.EINVAL, "ftruncate", "fd " + fd);
        }
        OpenFile f = p.file("ftruncate", fd);
        if (!(f.inode instanceof RegularFile file) || !f.canWrite()) {
            throw new VfsException(Errno.EINVAL, "ftruncate", f.path);
        }
        truncateFile(p, file, length);
    }

    /**
     * Sets a regular file's size (permission already checked), clearing set-id bits as a write
     * does.
     */
    static void truncateFile(Process p, RegularFile file, long length) throws VfsException {
        p.vfs.reapMappings();
        killSuid(p, file);
        try {
            file.truncate(length, p.vfs.now());
        } catch (IOException e) {
            throw hostFailure("truncate", file.toString(), e);
        }
        p.vfs.notifier.modifiedNow(file); // IN_MODIFY
    }

    /**
     * A failure of the host file behind a memory-mapped file: EIO, with the host's error as cause.
     */
    static VfsException hostFailure(String op, String path, IOException cause) {
        VfsException e = new VfsException(Errno.EIO, op, path);
        e.initCause(cause);
        return e;
    }

    @Nullable
    static DeviceHandler deviceOf(OpenFile f) {
        return f.device;
    }
}
