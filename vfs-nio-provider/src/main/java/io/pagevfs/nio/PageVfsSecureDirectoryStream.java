package io.pagevfs.nio;

import io.pagevfs.core.Errno;
import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Stat;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The directory stream {@code Files.newDirectoryStream} returns, as the JDK's on Linux
 * (UnixSecureDirectoryStream): every operation acts relative to the open directory descriptor
 * through the kernel's {@code *At} calls, so it keeps acting on the directory it opened even after
 * that directory is renamed or its path is replaced. Relative paths are resolved against the
 * descriptor, absolute ones as usual; errors name the path as given. After {@link #close()} every
 * operation, and every operation of a view it gave, throws ClosedDirectoryStreamException; a read
 * lock held by each operation keeps close from pulling the descriptor from under it.
 *
 * <p>{@link #move} needs a target stream of the same filesystem view (descriptors belong to one
 * process): ProviderMismatchException otherwise.
 */
final class PageVfsSecureDirectoryStream extends PageVfsDirectoryStream
        implements SecureDirectoryStream<Path> {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    PageVfsSecureDirectoryStream(PageVfsPath dir, int fd, Filter<? super Path> filter) {
        super(dir, fd, filter);
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException, VfsException;
    }

    /**
     * Runs {@code call} with the stream open and the descriptor held; a kernel failure is
     * translated for {@code file}.
     */
    private <T> T whileOpen(Object file, Call<T> call) throws IOException {
        Lock r = lock.readLock();
        r.lock();
        try {
            ensureOpen();
            return call.run();
        } catch (VfsException e) {
            throw Errors.translate(e, file);
        } finally {
            r.unlock();
        }
    }

    private PageVfsPath child(PageVfsPath p) {
        return (PageVfsPath) dir.resolve(p);
    }

    // ---- DirectoryStream ------------------------------------------------------------------------

    @Override
    public Iterator<Path> iterator() {
        Lock r = lock.readLock();
        r.lock();
        try {
            return super.iterator();
        } finally {
            r.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        Lock w = lock.writeLock();
        w.lock();
        try {
            super.close();
        } finally {
            w.unlock();
        }
    }

    // ---- SecureDirectoryStream ------------------------------------------------------------------

    /**
     * openat(O_RDONLY) and a directory check, as the JDK's (fdopendir): a symbolic link with
     * NOFOLLOW_LINKS fails ELOOP, anything else that is not a directory NotDirectoryException.
     */
    @Override
    public SecureDirectoryStream<Path> newDirectoryStream(Path path, LinkOption... options)
            throws IOException {
        PageVfsPath p = PageVfsPath.narrow(path);
        int flags =
                Fcntl.O_RDONLY
                        | (PageVfsFileSystemProvider.followLinks(options) ? 0 : Fcntl.O_NOFOLLOW);
        return whileOpen(
                p,
                () -> {
                    int newFd;
                    try {
                        newFd = process.openAt(fd, p.kernelPath(), flags, 0);
                    } catch (VfsException e) {
                        throw Errors.forDirectory(e, p);
                    }
                    if (!process.fstat(newFd).isDirectory()) {
                        process.close(newFd);
                        throw new NotDirectoryException(p.toString());
                    }
                    return dir.getFileSystem()
                            .track(new PageVfsSecureDirectoryStream(child(p), newFd, x -> true));
                });
    }

    /**
     * openat(2) with the decoded options. DELETE_ON_CLOSE unlinks the file relative to this
     * directory as soon as it is open, as the JDK does on Linux.
     */
    @Override
    public SeekableByteChannel newByteChannel(
            Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        PageVfsPath p = PageVfsPath.narrow(path);
        OpenOptions o = OpenOptions.decode(options);
        int mode = Attributes.creationMode(0666, attrs);
        return whileOpen(
                p,
                () -> {
                    int newFd = process.openAt(fd, p.kernelPath(), o.flags(), mode);
                    if (o.deleteOnClose()) {
                        try {
                            process.unlinkAt(fd, p.kernelPath(), 0);
                        } catch (VfsException e) {
                            // as the JDK: the file may already be gone or replaced
                        }
                    }
                    return dir.getFileSystem()
                            .track(new PageVfsFileChannel(child(p), newFd, keepOnClose(o)));
                });
    }

    /** {@code o} without DELETE_ON_CLOSE: the channel must not unlink by path later. */
    private static OpenOptions keepOnClose(OpenOptions o) {
        return new OpenOptions(
                o.read(),
                o.write(),
                o.append(),
                o.create(),
                o.createNew(),
                o.truncateExisting(),
                false,
                o.sparse(),
                o.sync(),
                o.dsync(),
                o.noFollowLinks());
    }

    @Override
    public void deleteFile(Path path) throws IOException {
        PageVfsPath p = PageVfsPath.narrow(path);
        whileOpen(p, () -> unlink(p, 0));
    }

    @Override
    public void deleteDirectory(Path path) throws IOException {
        PageVfsPath p = PageVfsPath.narrow(path);
        whileOpen(p, () -> unlink(p, Fcntl.AT_REMOVEDIR));
    }

    private Void unlink(PageVfsPath p, int flags) throws IOException {
        try {
            process.unlinkAt(fd, p.kernelPath(), flags);
            return null;
        } catch (VfsException e) {
            throw Errors.forDelete(e, p);
        }
    }

    /**
     * renameat(2) from this directory to {@code targetdir}'s; EXDEV is
     * AtomicMoveNotSupportedException, as the JDK's.
     */
    @Override
    public void move(Path srcpath, SecureDirectoryStream<Path> targetdir, Path targetpath)
            throws IOException {
        PageVfsPath from = PageVfsPath.narrow(srcpath);
        PageVfsPath to = PageVfsPath.narrow(targetpath);
        Objects.requireNonNull(targetdir, "targetdir");
        if (!(targetdir instanceof PageVfsSecureDirectoryStream that) || that.process != process) {
            throw new ProviderMismatchException(
                    "the target is not a directory stream of this PageVFS filesystem view");
        }
        // both read locks, in a fixed order, so that two crossing moves cannot deadlock
        boolean thisFirst = System.identityHashCode(this) <= System.identityHashCode(that);
        PageVfsSecureDirectoryStream first = thisFirst ? this : that;
        PageVfsSecureDirectoryStream second = thisFirst ? that : this;
        first.whileOpen(from, () -> second.whileOpen(from, () -> rename(from, that.fd, to)));
    }

    private Void rename(PageVfsPath from, int targetFd, PageVfsPath to) throws IOException {
        try {
            process.renameAt(fd, from.kernelPath(), targetFd, to.kernelPath(), 0);
            return null;
        } catch (VfsException e) {
            if (e.errno() == Errno.EXDEV) {
                throw new AtomicMoveNotSupportedException(
                        from.toString(), to.toString(), e.errno().message());
            }
            throw Errors.translate(e, from, to);
        }
    }

    /** The basic, posix or owner view of this directory itself (fstat, fchmod, fchown). */
    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Class<V> type) {
        return view(null, type, true);
    }

    /** The basic, posix or owner view of {@code path} relative to this directory. */
    @Override
    public <V extends FileAttributeView> V getFileAttributeView(
            Path path, Class<V> type, LinkOption... options) {
        return view(PageVfsPath.narrow(path), type, PageVfsFileSystemProvider.followLinks(options));
    }

    @SuppressWarnings("unchecked")
    private <V extends FileAttributeView> @Nullable V view(
            @Nullable PageVfsPath file, Class<V> type, boolean follow) {
        Objects.requireNonNull(type, "type");
        String name =
                type == BasicFileAttributeView.class
                        ? "basic"
                        : type == PosixFileAttributeView.class
                                ? "posix"
                                : type == FileOwnerAttributeView.class ? "owner" : null;
        return name == null ? null : (V) new View(file, follow, name);
    }

    /**
     * An attribute view through the descriptor: of the directory itself ({@code file} null: fstat,
     * fchmod, fchown, futimens) or of a path relative to it (the {@code *At} calls).
     */
    private final class View implements PosixFileAttributeView {
        private final @Nullable PageVfsPath file;
        private final boolean follow;
        private final String name;

        View(@Nullable PageVfsPath file, boolean follow, String name) {
            this.file = file;
            this.follow = follow;
            this.name = name;
        }

        private Object where() {
            return file == null ? dir : file;
        }

        private int flags() {
            return follow ? 0 : Fcntl.AT_SYMLINK_NOFOLLOW;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public PosixFileAttributes readAttributes() throws IOException {
            Stat st =
                    whileOpen(
                            where(),
                            () ->
                                    file == null
                                            ? process.fstat(fd)
                                            : process.statAt(fd, file.kernelPath(), flags()));
            return new Attributes.PageVfsFileAttributes(st, dir.getFileSystem().principals());
        }

        @Override
        public void setTimes(FileTime lastModified, FileTime lastAccess, FileTime create)
                throws IOException {
            if (lastModified == null && lastAccess == null) {
                return; // the creation time cannot be set, as on Linux
            }
            long m = lastModified == null ? Fcntl.UTIME_OMIT : Attributes.nanos(lastModified);
            long a = lastAccess == null ? Fcntl.UTIME_OMIT : Attributes.nanos(lastAccess);
            whileOpen(
                    where(),
                    () -> {
                        if (file == null) {
                            process.futimens(fd, a, m);
                        } else {
                            process.utimensAt(fd, file.kernelPath(), a, m, flags());
                        }
                        return null;
                    });
        }

        @Override
        public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
            int mode = Attributes.toMode(perms);
            whileOpen(
                    where(),
                    () -> {
                        if (file == null) {
                            process.fchmod(fd, mode);
                        } else {
                            process.chmodAt(fd, file.kernelPath(), mode, flags());
                        }
                        return null;
                    });
        }

        private void chown(int uid, int gid) throws IOException {
            whileOpen(
                    where(),
                    () -> {
                        if (file == null) {
                            process.fchown(fd, uid, gid);
                        } else {
                            process.chownAt(fd, file.kernelPath(), uid, gid, flags());
                        }
                        return null;
                    });
        }

        @Override
        public void setOwner(UserPrincipal owner) throws IOException {
            chown(Principals.uidOf(Objects.requireNonNull(owner, "owner")), -1);
        }

        @Override
        public void setGroup(GroupPrincipal group) throws IOException {
            chown(-1, Principals.gidOf(Objects.requireNonNull(group, "group")));
        }

        @Override
        public UserPrincipal getOwner() throws IOException {
            return readAttributes().owner();
        }

        @Override
        public String toString() {
            return name + " view of " + where() + " in the directory stream of " + dir;
        }
    }
}
