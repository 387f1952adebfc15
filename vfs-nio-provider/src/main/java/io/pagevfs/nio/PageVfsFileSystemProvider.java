package io.pagevfs.nio;

import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Mode;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code pagevfs} provider, registered through ServiceLoader. It is a translator: each method
 * narrows its path, decodes its options once, makes one call into the kernel as the path's process
 * and translates the outcome ({@link Errors}). It also keeps the registry of open filesystems by
 * name, so that {@code Path.of(URI.create("pagevfs://NAME/a"))} finds them: named ones (made from a
 * URI) strongly until closed, unnamed ones ({@link PageVfs#newFileSystem()}) weakly, so a forgotten
 * one can still be collected.
 */
public final class PageVfsFileSystemProvider extends FileSystemProvider {
    public static final String SCHEME = "pagevfs";

    private static final Map<String, Object> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicLong UNNAMED = new AtomicLong();

    /** For ServiceLoader; use {@link PageVfs} or {@link java.nio.file.FileSystems} instead. */
    public PageVfsFileSystemProvider() {}

    @Override
    public String getScheme() {
        return SCHEME;
    }

    // ---- filesystems and URIs
    // ------------------------------------------------------------------------

    private static String nameOf(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("URI scheme is not '" + SCHEME + "': " + uri);
        }
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("URI is not hierarchical: " + uri);
        }
        String name = uri.getAuthority();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(
                    "URI has no filesystem name (pagevfs://NAME/...): " + uri);
        }
        return name;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        String name = nameOf(uri);
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("a filesystem URI has no path: " + uri);
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("a filesystem URI has no query or fragment: " + uri);
        }
        return create(name, PageVfsConfig.fromEnv(env), false);
    }

    /** Creates and registers a filesystem; {@code weak} for unnamed ones. */
    PageVfsFileSystem create(String name, PageVfsConfig config, boolean weak) throws IOException {
        synchronized (REGISTRY) {
            if (lookup(name) != null) {
                throw new FileSystemAlreadyExistsException(name);
            }
            PageVfsFileSystem fs = Bootstrap.build(this, name, config);
            REGISTRY.put(name, weak ? new WeakReference<>(fs) : fs);
            return fs;
        }
    }

    PageVfsFileSystem createUnnamed(PageVfsConfig config) throws IOException {
        return create(
                "anonymous-"
                        + UNNAMED.incrementAndGet()
                        + "-"
                        + Long.toHexString(System.nanoTime()),
                config,
                true);
    }

    private static PageVfsFileSystem lookup(String name) {
        Object o = REGISTRY.get(name);
        if (o instanceof WeakReference<?> ref) {
            Object fs = ref.get();
            if (fs == null) {
                REGISTRY.remove(name, o);
            }
            return (PageVfsFileSystem) fs;
        }
        return (PageVfsFileSystem) o;
    }

    void unregister(PageVfsFileSystem fs) {
        synchronized (REGISTRY) {
            if (lookup(fs.name()) == fs) {
                REGISTRY.remove(fs.name());
            }
        }
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        PageVfsFileSystem fs = lookup(nameOf(uri));
        if (fs == null) {
            throw new FileSystemNotFoundException(uri.toString());
        }
        return fs;
    }

    @Override
    public Path getPath(URI uri) {
        String path = Uris.pathOf(uri);
        return getFileSystem(uri).getPath(path);
    }

    // ---- helpers
    // ---------------------------------------------------------------------------------

    private static PageVfsPath check(Path path) {
        PageVfsPath p = PageVfsPath.narrow(path);
        p.getFileSystem().ensureOpen();
        return p;
    }

    private static Process proc(PageVfsPath p) {
        return p.getFileSystem().process();
    }

    static boolean followLinks(LinkOption... options) {
        boolean follow = true;
        for (LinkOption o : options) {
            if (o == LinkOption.NOFOLLOW_LINKS) {
                follow = false;
            } else if (o == null) {
                throw new NullPointerException("null link option");
            } else {
                throw new UnsupportedOperationException("unsupported link option: " + o);
            }
        }
        return follow;
    }

    // ---- channels
    // ----------------------------------------------------------------------------------

    @Override
    public SeekableByteChannel newByteChannel(
            Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(
            Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        PageVfsPath p = check(path);
        OpenOptions o = OpenOptions.decode(options);
        int mode = Attributes.creationMode(0666, attrs);
        return p.getFileSystem().track(PageVfsFileChannel.open(p, o, mode));
    }

    @Override
    public AsynchronousFileChannel newAsynchronousFileChannel(
            Path path,
            Set<? extends OpenOption> options,
            ExecutorService executor,
            FileAttribute<?>... attrs)
            throws IOException {
        PageVfsPath p = check(path);
        if (options.contains(StandardOpenOption.APPEND)) {
            // as the JDK's: an asynchronous channel has no position to append at
            throw new UnsupportedOperationException("APPEND not allowed");
        }
        FileChannel channel = newFileChannel(path, options, attrs);
        ExecutorService ex =
                executor != null ? executor : p.getFileSystem().shared().asyncExecutor();
        return p.getFileSystem()
                .track(
                        new PageVfsAsynchronousFileChannel(
                                p.getFileSystem(), (PageVfsFileChannel) channel, ex));
    }

    // ---- directories and links
    // ----------------------------------------------------------------------

    /**
     * A {@link java.nio.file.SecureDirectoryStream}, as the JDK's on Linux: the stream holds a
     * descriptor of the directory and can act relative to it.
     */
    @Override
    public DirectoryStream<Path> newDirectoryStream(
            Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        PageVfsPath p = check(dir);
        Objects.requireNonNull(filter, "filter");
        try {
            int fd = proc(p).open(p.kernelPath(), Fcntl.O_RDONLY | Fcntl.O_DIRECTORY);
            return p.getFileSystem().track(new PageVfsSecureDirectoryStream(p, fd, filter));
        } catch (VfsException e) {
            throw Errors.forDirectory(e, p);
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        PageVfsPath p = check(dir);
        int mode = Attributes.creationMode(0777, attrs);
        try {
            proc(p).mkdir(p.kernelPath(), mode);
        } catch (VfsException e) {
            throw Errors.translate(e, p);
        }
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs)
            throws IOException {
        PageVfsPath p = check(link);
        PageVfsPath t = PageVfsPath.narrow(target);
        if (attrs.length > 0) {
            throw new UnsupportedOperationException(
                    "Initial file attributes not supported when creating symbolic link");
        }
        try {
            proc(p).symlink(t.pathString(), p.kernelPath());
        } catch (VfsException e) {
            throw Errors.translate(e, p);
        }
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        PageVfsPath p = check(link);
        PageVfsPath e0 = PageVfsPath.narrow(existing);
        try {
            proc(p).link(e0.kernelPath(), p.kernelPath());
        } catch (VfsException e) {
            throw Errors.translate(e, p, e0);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        PageVfsPath p = check(path);
        try {
            Stat st = proc(p).lstat(p.kernelPath());
            if (st.isDirectory()) {
                proc(p).rmdir(p.kernelPath());
            } else {
                proc(p).unlink(p.kernelPath());
            }
        } catch (VfsException e) {
            throw Errors.forDelete(e, p);
        }
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        PageVfsPath p = check(link);
        try {
            return new PageVfsPath(p.getFileSystem(), proc(p).readlink(p.kernelPath()));
        } catch (VfsException e) {
            throw Errors.forReadLink(e, p);
        }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        CopyMove.copy(check(source), PageVfsPath.narrow(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        CopyMove.move(check(source), PageVfsPath.narrow(target), options);
    }

    // ---- queries
    // ------------------------------------------------------------------------------------

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        PageVfsPath a = check(path);
        if (a.equals(path2)) {
            return true;
        }
        if (!(Objects.requireNonNull(path2) instanceof PageVfsPath b)
                || b.getFileSystem().kernel() != a.getFileSystem().kernel()) {
            return false;
        }
        Stat sa = Attributes.stat(a, true);
        Stat sb = Attributes.stat(b, true);
        return sa.dev() == sb.dev() && sa.ino() == sb.ino();
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        PageVfsPath p = check(path);
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        PageVfsPath p = check(path);
        try {
            String abs = p.toAbsolutePath().toString();
            return new PageVfsFileStore(p.getFileSystem(), abs, proc(p).statfs(p.kernelPath()));
        } catch (VfsException e) {
            throw Errors.translate(e, p);
        }
    }

    /**
     * access(2) with the real ids, as the JDK's checkAccess: EROFS for W on a read-only mount, even
     * for root.
     */
    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        PageVfsPath p = check(path);
        int mask = 0;
        for (AccessMode m : modes) {
            mask |=
                    switch (m) {
                        case READ -> Mode.R_OK;
                        case WRITE -> Mode.W_OK;
                        case EXECUTE -> Mode.X_OK;
                    };
        }
        try {
            proc(p).access(p.kernelPath(), mask);
        } catch (VfsException e) {
            throw Errors.forAttributes(e, p);
        }
    }

    Path toRealPath(PageVfsPath p, LinkOption... options) throws IOException {
        check(p);
        boolean follow = followLinks(options);
        try {
            if (follow) {
                return new PageVfsPath(p.getFileSystem(), proc(p).realpath(p.kernelPath()));
            }
            return RealPath.withoutFollowing(p);
        } catch (VfsException e) {
            throw Errors.translate(e, p);
        }
    }

    // ---- attributes
    // -----------------------------------------------------------------------------------

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(
            Path path, Class<V> type, LinkOption... options) {
        return Attributes.view(check(path), type, followLinks(options));
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(
            Path path, Class<A> type, LinkOption... options) throws IOException {
        return Attributes.read(check(path), type, followLinks(options));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return Attributes.read(check(path), attributes, followLinks(options));
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
            throws IOException {
        Attributes.set(check(path), attribute, value, followLinks(options));
    }

    /**
     * Builds filesystems: the kernel, the default view's process, initial mounts and working
     * directory.
     */
    static final class Bootstrap {
        private Bootstrap() {}

        static PageVfsFileSystem build(
                PageVfsFileSystemProvider provider, String name, PageVfsConfig config)
                throws IOException {
            Vfs vfs = Vfs.create(config.kernel());
            try {
                Process root = vfs.newProcess(io.pagevfs.core.Credentials.root());
                for (PageVfsConfig.InitialMount m : config.mounts()) {
                    mkdirs(root, m.target());
                    root.mount(m.volume(), m.target(), m.flags());
                }
                PageVfsConfig.User user = config.defaultUser();
                if (mkdirs(root, config.workingDirectory())) {
                    root.chown(config.workingDirectory(), user.uid(), user.gid());
                }
                root.exit();
                SharedKernel kernel = new SharedKernel(name, vfs, config);
                Process process = vfs.newProcess(user.credentials());
                process.chdir(config.workingDirectory());
                return new PageVfsFileSystem(provider, kernel, process, true);
            } catch (VfsException e) {
                vfs.close();
                throw Errors.translate(e, config.workingDirectory());
            }
        }

        /**
         * Creates the missing directories of {@code path} (mode 0755, root's); true if the last was
         * created.
         */
        private static boolean mkdirs(Process root, String path) throws VfsException {
            StringBuilder sb = new StringBuilder();
            boolean created = false;
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                sb.append('/').append(part);
                try {
                    root.mkdir(sb.toString(), 0755);
                    created = true;
                } catch (VfsException e) {
                    if (e.errno() != io.pagevfs.core.Errno.EEXIST) {
                        throw e;
                    }
                    created = false;
                }
            }
            return created;
        }
    }
}
