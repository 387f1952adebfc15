package io.pagevfs.core;

import com.google.common.base.Preconditions;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * A process: the unit of identity. It holds credentials for permission checks, a umask, a working
 * directory and a root (chroot), and a table of descriptors; its methods are the system calls.
 *
 * <p>Every call fails with a {@link VfsException} carrying the errno Linux would give, the
 * operation and the path, and changes nothing when it fails. Paths are Linux paths: relative ones
 * start at the working directory (or, for the {@code *At} forms, at the directory open as {@code
 * dirfd}, or the working directory for {@link Fcntl#AT_FDCWD}). Null arguments are programming
 * errors ({@link NullPointerException}).
 *
 * <p>Thread-safe: threads of one process may call concurrently, as threads of a Linux process do.
 */
public final class Process {
    final Vfs vfs;
    final int pid;
    final FdTable fds;

    private volatile Credentials cred;
    private volatile int umask;
    private volatile boolean exited;

    @GuardedBy("vfs.tree")
    Mount cwdMount;

    @GuardedBy("vfs.tree")
    Directory cwd;

    @GuardedBy("vfs.tree")
    Mount rootMount;

    @GuardedBy("vfs.tree")
    Directory root;

    Process(
            Vfs vfs,
            int pid,
            Credentials cred,
            int umask,
            FdTable fds,
            Mount cwdMount,
            Directory cwd,
            Mount rootMount,
            Directory root) {
        this.vfs = vfs;
        this.pid = pid;
        this.cred = cred;
        this.umask = umask;
        this.fds = fds;
        this.cwdMount = cwdMount;
        this.cwd = cwd;
        this.rootMount = rootMount;
        this.root = root;
    }

    // ---- identity -------------------------------------------------------------------------

    public int pid() {
        return pid;
    }

    public Vfs vfs() {
        return vfs;
    }

    public Credentials credentials() {
        return cred;
    }

    /** Replaces the credentials; only root may (EPERM otherwise), as with setresuid/setgroups. */
    public void setCredentials(Credentials newCredentials) throws VfsException {
        Preconditions.checkNotNull(newCredentials, "credentials");
        checkAlive("setcred");
        if (!cred.isRoot()) {
            throw new VfsException(Errno.EPERM, "setcred", null);
        }
        cred = newCredentials;
    }

    /** Sets the umask (its 0777 bits) and returns the old one. */
    public int umask(int newMask) {
        int old = umask;
        umask = newMask & 0777;
        return old;
    }

    public int umask() {
        return umask;
    }

    public boolean isAlive() {
        return !exited;
    }

    /**
     * A child with the same credentials, umask, directories and descriptors (sharing their
     * descriptions).
     */
    public Process fork() throws VfsException {
        checkAlive("fork");
        Lock r = readLock();
        try {
            Process child =
                    new Process(
                            vfs,
                            vfs.allocatePid(),
                            cred,
                            umask,
                            fds.copy(),
                            cwdMount,
                            cwd,
                            rootMount,
                            root);
            return vfs.registerChild(child);
        } finally {
            r.unlock();
        }
    }

    /** Closes every descriptor and ends the process. Idempotent. */
    public void exit() {
        if (exited) {
            return;
        }
        exited = true;
        for (OpenFile f : fds.clear()) {
            f.release();
        }
        vfs.exited(this);
    }

    void checkAlive(String op) throws VfsException {
        if (exited) {
            throw new VfsException(Errno.ESRCH, op, null);
        }
    }

    // ---- helpers for the call classes ---------------------------------------------------------

    Lock readLock() {
        return vfs.lockTreeForRead();
    }

    Lock writeLock() {
        return vfs.lockTreeForWrite();
    }

    /**
     * Starts resolving {@code path} for {@code op} with the effective credentials. Caller holds the
     * tree lock.
     */
    Namei namei(String op, int dirfd, String path) throws VfsException {
        return namei(op, dirfd, path, cred);
    }

    Namei namei(String op, int dirfd, String path, Credentials as) throws VfsException {
        Preconditions.checkNotNull(path, "path");
        checkAlive(op);
        Namei.checkPath(op, path);
        Mount m = cwdMount;
        Directory d = cwd;
        if (dirfd != Fcntl.AT_FDCWD && path.charAt(0) != '/') {
            OpenFile f = fds.get(dirfd);
            if (f == null) {
                throw new VfsException(Errno.EBADF, op, path);
            }
            if (!(f.inode instanceof Directory dir)) {
                throw new VfsException(Errno.ENOTDIR, op, path);
            }
            m = f.mount;
            d = dir;
        }
        return new Namei(op, path, as, rootMount, root, m, d);
    }

    /** The description open as {@code fd}, or EBADF. */
    OpenFile file(String op, int fd) throws VfsException {
        checkAlive(op);
        OpenFile f = fds.get(fd);
        if (f == null) {
            throw new VfsException(Errno.EBADF, op, "fd " + fd);
        }
        return f;
    }

    int umaskBits() {
        return umask;
    }

    // ---- working directory and root -------------------------------------------------------------

    public void chdir(String path) throws VfsException {
        PathCalls.chdir(this, path, false);
    }

    public void fchdir(int fd) throws VfsException {
        PathCalls.fchdir(this, fd);
    }

    /** Makes {@code path} this process's root; root only (EPERM). */
    public void chroot(String path) throws VfsException {
        PathCalls.chdir(this, path, true);
    }

    /** The working directory's path; ENOENT if it was removed or lies outside the process root. */
    public String getcwd() throws VfsException {
        return PathCalls.getcwd(this);
    }

    // ---- open files
    // ---------------------------------------------------------------------------------

    /** open(2): returns the lowest free descriptor. {@code mode} matters only with O_CREAT. */
    public int open(String path, int flags, int mode) throws VfsException {
        return FileCalls.open(this, Fcntl.AT_FDCWD, path, flags, mode);
    }

    public int open(String path, int flags) throws VfsException {
        return open(path, flags, 0);
    }

    public int openAt(int dirfd, String path, int flags, int mode) throws VfsException {
        return FileCalls.open(this, dirfd, path, flags, mode);
    }

    public void close(int fd) throws VfsException {
        FileCalls.close(this, fd);
    }

    public int dup(int fd) throws VfsException {
        return FileCalls.dup(this, fd);
    }

    public int dup2(int fd, int newFd) throws VfsException {
        return FileCalls.dup2(this, fd, newFd);
    }

    /** F_GETFL: the access mode and status flags. */
    public int getFlags(int fd) throws VfsException {
        return file("fcntl", fd).flags();
    }

    /** F_SETFL: changes O_APPEND, O_NONBLOCK, O_NOATIME and O_DIRECT; other bits are ignored. */
    public void setFlags(int fd, int flags) throws VfsException {
        FileCalls.setFlags(this, fd, flags);
    }

    public boolean isCloseOnExec(int fd) throws VfsException {
        file("fcntl", fd);
        return fds.isCloseOnExec(fd);
    }

    public void setCloseOnExec(int fd, boolean on) throws VfsException {
        file("fcntl", fd);
        fds.setCloseOnExec(fd, on);
    }

    /** The open descriptors, ascending. */
    public int[] openDescriptors() {
        return fds.fds();
    }

    /** read(2) at the file offset into {@code dst}; returns the count, 0 at end of file. */
    public int read(int fd, ByteBuffer dst) throws VfsException {
        return FileCalls.read(this, fd, dst, -1);
    }

    public int read(int fd, byte[] b, int off, int len) throws VfsException {
        return read(fd, ByteBuffer.wrap(b, off, len));
    }

    /** pread(2): reads at {@code pos} without moving the offset. */
    public int pread(int fd, ByteBuffer dst, long pos) throws VfsException {
        return FileCalls.pread(this, fd, dst, pos);
    }

    /**
     * write(2) at the file offset (or the end, with O_APPEND). A write is never short for lack of
     * space: it either writes everything or fails ENOSPC having written nothing. It is short only
     * at the maximum file size, as Linux's.
     */
    public int write(int fd, ByteBuffer src) throws VfsException {
        return FileCalls.write(this, fd, src, -1);
    }

    public int write(int fd, byte[] b, int off, int len) throws VfsException {
        return write(fd, ByteBuffer.wrap(b, off, len));
    }

    /**
     * pwrite(2): writes at {@code pos} without moving the offset. As on Linux (and unlike POSIX), a
     * description opened with O_APPEND appends whatever {@code pos} says.
     */
    public int pwrite(int fd, ByteBuffer src, long pos) throws VfsException {
        return FileCalls.pwrite(this, fd, src, pos);
    }

    /** lseek(2); SEEK_DATA and SEEK_HOLE treat the whole file as data. */
    public long lseek(int fd, long offset, int whence) throws VfsException {
        return FileCalls.lseek(this, fd, offset, whence);
    }

    public void ftruncate(int fd, long length) throws VfsException {
        FileCalls.ftruncate(this, fd, length);
    }

    /** fsync(2): memory holds everything already; validates the descriptor. */
    public void fsync(int fd) throws VfsException {
        file("fsync", fd);
    }

    public Stat fstat(int fd) throws VfsException {
        return file("fstat", fd).inode.stat();
    }

    /** The entries of the directory open as {@code fd}, without "." and "..". */
    public List<DirEntry> readdir(int fd) throws VfsException {
        return FileCalls.readdir(this, fd);
    }

    // ---- paths --------------------------------------------------------------------------------

    public Stat stat(String path) throws VfsException {
        return PathCalls.stat(this, Fcntl.AT_FDCWD, path, 0);
    }

    public Stat lstat(String path) throws VfsException {
        return PathCalls.stat(this, Fcntl.AT_FDCWD, path, Fcntl.AT_SYMLINK_NOFOLLOW);
    }

    /** fstatat(2); flags: AT_SYMLINK_NOFOLLOW. */
    public Stat statAt(int dirfd, String path, int flags) throws VfsException {
        return PathCalls.stat(this, dirfd, path, flags);
    }

    /**
     * realpath(3): the canonical absolute path of an existing file, every symbolic link resolved.
     */
    public String realpath(String path) throws VfsException {
        return PathCalls.realpath(this, path);
    }

    /** Lists a directory (open, readdir, close), without "." and "..". */
    public List<DirEntry> listDirectory(String path) throws VfsException {
        int fd = open(path, Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
        try {
            return readdir(fd);
        } finally {
            close(fd);
        }
    }

    public void mkdir(String path, int mode) throws VfsException {
        PathCalls.mkdir(this, Fcntl.AT_FDCWD, path, mode);
    }

    public void mkdirAt(int dirfd, String path, int mode) throws VfsException {
        PathCalls.mkdir(this, dirfd, path, mode);
    }

    /** mknod(2) for regular files and character or block devices (root only). */
    public void mknod(String path, int mode, long rdev) throws VfsException {
        PathCalls.mknod(this, Fcntl.AT_FDCWD, path, mode, rdev);
    }

    public void rmdir(String path) throws VfsException {
        PathCalls.rmdir(this, Fcntl.AT_FDCWD, path);
    }

    public void unlink(String path) throws VfsException {
        PathCalls.unlink(this, Fcntl.AT_FDCWD, path);
    }

    /** unlinkat(2); flags: AT_REMOVEDIR. */
    public void unlinkAt(int dirfd, String path, int flags) throws VfsException {
        PathCalls.unlinkAt(this, dirfd, path, flags);
    }

    public void rename(String oldPath, String newPath) throws VfsException {
        PathCalls.rename(this, Fcntl.AT_FDCWD, oldPath, Fcntl.AT_FDCWD, newPath, 0);
    }

    /** renameat2(2); flags: RENAME_NOREPLACE, RENAME_EXCHANGE. */
    public void renameAt(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags)
            throws VfsException {
        PathCalls.rename(this, oldDirfd, oldPath, newDirfd, newPath, flags);
    }

    /** link(2): does not follow a final symbolic link in {@code oldPath}. */
    public void link(String oldPath, String newPath) throws VfsException {
        PathCalls.link(this, Fcntl.AT_FDCWD, oldPath, Fcntl.AT_FDCWD, newPath, 0);
    }

    /** linkat(2); flags: AT_SYMLINK_FOLLOW. */
    public void linkAt(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags)
            throws VfsException {
        PathCalls.link(this, oldDirfd, oldPath, newDirfd, newPath, flags);
    }

    public void symlink(String target, String linkPath) throws VfsException {
        PathCalls.symlink(this, target, Fcntl.AT_FDCWD, linkPath);
    }

    public void symlinkAt(String target, int dirfd, String linkPath) throws VfsException {
        PathCalls.symlink(this, target, dirfd, linkPath);
    }

    public String readlink(String path) throws VfsException {
        return PathCalls.readlink(this, Fcntl.AT_FDCWD, path);
    }

    public String readlinkAt(int dirfd, String path) throws VfsException {
        return PathCalls.readlink(this, dirfd, path);
    }

    public void chmod(String path, int mode) throws VfsException {
        PathCalls.chmod(this, Fcntl.AT_FDCWD, path, mode, 0);
    }

    /** fchmodat(2); AT_SYMLINK_NOFOLLOW on a symbolic link is ENOTSUP, as on Linux. */
    public void chmodAt(int dirfd, String path, int mode, int flags) throws VfsException {
        PathCalls.chmod(this, dirfd, path, mode, flags);
    }

    public void fchmod(int fd, int mode) throws VfsException {
        PathCalls.fchmod(this, fd, mode);
    }

    /** chown(2); -1 leaves the uid or gid unchanged. */
    public void chown(String path, int uid, int gid) throws VfsException {
        PathCalls.chown(this, Fcntl.AT_FDCWD, path, uid, gid, 0);
    }

    public void lchown(String path, int uid, int gid) throws VfsException {
        PathCalls.chown(this, Fcntl.AT_FDCWD, path, uid, gid, Fcntl.AT_SYMLINK_NOFOLLOW);
    }

    public void chownAt(int dirfd, String path, int uid, int gid, int flags) throws VfsException {
        PathCalls.chown(this, dirfd, path, uid, gid, flags);
    }

    public void fchown(int fd, int uid, int gid) throws VfsException {
        PathCalls.fchown(this, fd, uid, gid);
    }

    /**
     * utimensat(2) with times in nanoseconds since the epoch, or {@link Fcntl#UTIME_NOW} / {@link
     * Fcntl#UTIME_OMIT}. Explicit times need the owner or root (EPERM); "now" for both also allows
     * a writer.
     */
    public void utimens(String path, long atimeNanos, long mtimeNanos) throws VfsException {
        PathCalls.utimens(this, Fcntl.AT_FDCWD, path, atimeNanos, mtimeNanos, 0);
    }

    public void utimensAt(int dirfd, String path, long atimeNanos, long mtimeNanos, int flags)
            throws VfsException {
        PathCalls.utimens(this, dirfd, path, atimeNanos, mtimeNanos, flags);
    }

    /** futimens(3): {@link #utimens} for the file open as {@code fd}. */
    public void futimens(int fd, long atimeNanos, long mtimeNanos) throws VfsException {
        PathCalls.futimens(this, fd, atimeNanos, mtimeNanos);
    }

    /** access(2) with the real ids; mode is F_OK or an OR of R_OK, W_OK and X_OK. */
    public void access(String path, int mode) throws VfsException {
        PathCalls.access(this, Fcntl.AT_FDCWD, path, mode, 0);
    }

    /** faccessat(2); flags: AT_EACCESS (use the effective ids), AT_SYMLINK_NOFOLLOW. */
    public void accessAt(int dirfd, String path, int mode, int flags) throws VfsException {
        PathCalls.access(this, dirfd, path, mode, flags);
    }

    public void truncate(String path, long length) throws VfsException {
        PathCalls.truncate(this, path, length);
    }

    // ---- change events (inotify)
    // -----------------------------------------------------------------------------

    /**
     * inotify_add_watch(2): watches the directory {@code path} names (following symbolic links;
     * read permission needed, EACCES; ENOTDIR for anything else). {@code listener} hears of names
     * created, deleted and modified in it by any process of this kernel, until the watch is closed
     * or the directory dies; see {@link DirectoryListener} for when and how.
     */
    public DirectoryWatch watch(String path, DirectoryListener listener) throws VfsException {
        return watchAt(Fcntl.AT_FDCWD, path, listener);
    }

    public DirectoryWatch watchAt(int dirfd, String path, DirectoryListener listener)
            throws VfsException {
        Preconditions.checkNotNull(listener, "listener");
        return Notifier.watch(this, dirfd, path, listener);
    }

    // ---- extended attributes (user namespace)
    // -------------------------------------------------------

    /** setxattr(2); flags: XATTR_CREATE, XATTR_REPLACE. Only "user." names are supported. */
    public void setxattr(String path, String name, byte[] value, int flags) throws VfsException {
        Xattrs.set(this, path, name, value, flags, true);
    }

    public void lsetxattr(String path, String name, byte[] value, int flags) throws VfsException {
        Xattrs.set(this, path, name, value, flags, false);
    }

    public byte[] getxattr(String path, String name) throws VfsException {
        return Xattrs.get(this, path, name, true);
    }

    public byte[] lgetxattr(String path, String name) throws VfsException {
        return Xattrs.get(this, path, name, false);
    }

    public List<String> listxattr(String path) throws VfsException {
        return Xattrs.list(this, path, true);
    }

    public List<String> llistxattr(String path) throws VfsException {
        return Xattrs.list(this, path, false);
    }

    public void removexattr(String path, String name) throws VfsException {
        Xattrs.remove(this, path, name, true);
    }

    public void lremovexattr(String path, String name) throws VfsException {
        Xattrs.remove(this, path, name, false);
    }

    // ---- mounts ---------------------------------------------------------------------------------

    /** Mounts a new empty volume on the directory {@code target}; root only (EPERM). */
    public void mount(VolumeSpec volume, String target, Set<MountFlag> flags) throws VfsException {
        MountCalls.mount(this, volume, target, flags);
    }

    /** Makes the directory {@code source} visible at {@code target} too (mount --bind). */
    public void bindMount(String source, String target, Set<MountFlag> flags) throws VfsException {
        MountCalls.bind(this, source, target, flags);
    }

    /**
     * mount -o remount: new flags for the mount at {@code target}. The read-only flag also applies
     * to the volume (superblock), so every other mount of it becomes read-only too; going read-only
     * fails EBUSY while a file of the volume is open for writing, or open after losing its last
     * name.
     */
    public void remount(String target, Set<MountFlag> flags) throws VfsException {
        MountCalls.remount(this, target, flags, false);
    }

    /** mount -o remount,bind: new flags for this mount only. */
    public void remountBind(String target, Set<MountFlag> flags) throws VfsException {
        MountCalls.remount(this, target, flags, true);
    }

    /**
     * Unmounts the mount at {@code target}; EBUSY while anything in it is open, a working directory
     * or a mount point.
     */
    public void umount(String target) throws VfsException {
        MountCalls.umount(this, target);
    }

    /** statfs(2) for the mount holding {@code path}. */
    public FsStat statfs(String path) throws VfsException {
        return MountCalls.statfs(this, path);
    }

    public FsStat fstatfs(int fd) throws VfsException {
        OpenFile f = file("fstatfs", fd);
        return MountCalls.statfs(f.mount);
    }

    // ---- memory mapping

    /**
     * mmap(2) of the file open as {@code fd}: {@code [offset, offset + length)} with protection
     * {@code prot} ({@link Mman#PROT_READ} etc.) and {@code flags} ({@link Mman#MAP_SHARED} or
     * {@link Mman#MAP_PRIVATE}), checked exactly as Linux checks (see {@code MapRules}); the offset
     * must be a multiple of the volume's page size. The file's content moves to host shared memory
     * on its first mapping. Fails ENOSPC when the volume's memory limit cannot cover the mapping
     * and ENOMEM when the host cannot.
     */
    public FileMapping mmap(int fd, long offset, long length, int prot, int flags)
            throws VfsException {
        return MapCalls.mmap(this, fd, offset, length, prot, flags);
    }

    // ---- advisory range locks

    /**
     * Takes an advisory lock on {@code [start, start + length)} of the file open as {@code fd},
     * owned by its open file description (as an OFD lock: shared by dup'ed and inherited
     * descriptors, released when the description's last reference goes). {@code length} 0 means to
     * the end of the file however large it grows. Returns false, taking nothing, when another
     * description holds a conflicting lock. A shared lock needs a readable descriptor, an exclusive
     * one a writable descriptor (EBADF).
     */
    public boolean tryLockRange(int fd, long start, long length, boolean shared)
            throws VfsException {
        return LockCalls.tryLock(this, fd, start, length, shared);
    }

    /**
     * {@link #tryLockRange}, waiting until no conflicting lock is held. EBADF if the description is
     * closed meanwhile.
     */
    public void lockRange(int fd, long start, long length, boolean shared)
            throws VfsException, InterruptedException {
        LockCalls.lockWaiting(this, fd, start, length, shared);
    }

    /**
     * Releases the lock this descriptor's description holds on exactly that range (ENOLCK if none).
     */
    public void unlockRange(int fd, long start, long length) throws VfsException {
        LockCalls.unlock(this, fd, start, length);
    }

    // ---- exec
    // -----------------------------------------------------------------------------------------

    /**
     * The credential change and checks of execve(2), without running anything: the file must be a
     * regular file the process may execute on a mount without noexec (EACCES), not open for writing
     * (ETXTBSY); set-user-id and set-group-id bits take effect unless the mount is nosuid. Closes
     * the close-on-exec descriptors.
     */
    public void execve(String path) throws VfsException {
        PathCalls.execve(this, path);
    }

    void setCredentialsInternal(Credentials c) {
        cred = c;
    }

    @Override
    public String toString() {
        return "Process[pid=" + pid + ", " + cred + (exited ? ", exited" : "") + "]";
    }
}
