package io.pagevfs.nio;

import com.google.common.base.Preconditions;
import io.pagevfs.core.Credentials;
import io.pagevfs.core.MountFlag;
import io.pagevfs.core.MountInfo;
import io.pagevfs.core.Process;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsException;
import io.pagevfs.core.VolumeSpec;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A PageVFS filesystem as {@code java.nio.file} sees it: a view of one kernel ({@link Vfs}) bound
 * to one {@link Process}. Paths act as that process: its credentials decide every permission check,
 * its descriptors back the channels, and (later) it owns the locks it takes. {@link #newView} gives
 * another process's view of the same kernel; closing the filesystem made first closes the kernel
 * and every view, closing a view ends only its process. Closing closes every channel, stream,
 * directory stream and watch service opened through it.
 */
public final class PageVfsFileSystem extends FileSystem {
    private final PageVfsFileSystemProvider provider;
    private final SharedKernel kernel;
    private final Process process;
    private final boolean primary;
    private final Set<Closeable> resources = ConcurrentHashMap.newKeySet();
    private final FileLocks fileLocks = new FileLocks();
    private volatile boolean open = true;

    PageVfsFileSystem(
            PageVfsFileSystemProvider provider,
            SharedKernel kernel,
            Process process,
            boolean primary) {
        this.provider = provider;
        this.kernel = kernel;
        this.process = process;
        this.primary = primary;
    }

    // ---- the PageVFS API
    // ----------------------------------------------------------------------------

    /** The name in this filesystem's URIs: {@code pagevfs://NAME/...}. */
    public String name() {
        return kernel.name;
    }

    /** The kernel under this filesystem, shared by all its views. */
    public Vfs kernel() {
        return kernel.vfs;
    }

    /** The process this view acts as. */
    public Process process() {
        return process;
    }

    public PageVfsConfig config() {
        return kernel.config;
    }

    /**
     * A view of the same kernel as a new process with {@code credentials}, starting at "/" with the
     * configured umask. Its paths are permission-checked as that process; closing it ends the
     * process only.
     */
    public PageVfsFileSystem newView(Credentials credentials) {
        ensureOpen();
        PageVfsFileSystem view =
                new PageVfsFileSystem(provider, kernel, kernel.vfs.newProcess(credentials), false);
        kernel.views.add(view);
        return view;
    }

    /** A view as a user of the configured user table. */
    public PageVfsFileSystem newView(String userName) {
        PageVfsConfig.User u = kernel.config.users().get(userName);
        Preconditions.checkArgument(
                u != null, "no such user in this filesystem's table: %s", userName);
        return newView(u.credentials());
    }

    /** Mounts a new empty volume on the directory {@code target} (this view must act as root). */
    public void mount(String target, VolumeSpec volume, Set<MountFlag> flags) throws IOException {
        ensureOpen();
        try {
            process.mount(volume, target, flags);
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
    }

    /** Makes the directory {@code source} visible at {@code target} too, with its own flags. */
    public void bindMount(String source, String target, Set<MountFlag> flags) throws IOException {
        ensureOpen();
        try {
            process.bindMount(source, target, flags);
        } catch (VfsException e) {
            throw Errors.translate(e, source, target);
        }
    }

    /**
     * New flags for the mount at {@code target}; read-only also freezes the volume (see {@link
     * Process#remount}).
     */
    public void remount(String target, Set<MountFlag> flags) throws IOException {
        ensureOpen();
        try {
            process.remount(target, flags);
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
    }

    /** New flags for this mount only (mount -o remount,bind). */
    public void remountBind(String target, Set<MountFlag> flags) throws IOException {
        ensureOpen();
        try {
            process.remountBind(target, flags);
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
    }

    public void umount(String target) throws IOException {
        ensureOpen();
        try {
            process.umount(target);
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
    }

    // ---- FileSystem
    // ----------------------------------------------------------------------------------

    @Override
    public PageVfsFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        IOException failure = null;
        for (Closeable c : new ArrayList<>(resources)) {
            try {
                c.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        process.exit();
        if (primary) {
            for (PageVfsFileSystem view : new ArrayList<>(kernel.views)) {
                view.close();
            }
            kernel.close();
            provider.unregister(this);
        } else {
            kernel.views.remove(this);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** False, as on Linux: a read-only mount makes its FileStore read-only, not the filesystem. */
    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        ensureOpen();
        return List.of(new PageVfsPath(this, "/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        ensureOpen();
        List<FileStore> stores = new ArrayList<>();
        for (MountInfo m : kernel.vfs.mounts()) {
            try {
                stores.add(
                        new PageVfsFileStore(this, m.mountPoint(), process.statfs(m.mountPoint())));
            } catch (VfsException e) {
                // a mount this process cannot reach (permissions, chroot) is not listed, as df
                // would skip it
            }
        }
        return stores;
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Attributes.VIEWS;
    }

    @Override
    public Path getPath(String first, String... more) {
        ensureOpen();
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(m);
            }
        }
        return new PageVfsPath(this, sb.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("syntax:pattern expected, got " + syntaxAndPattern);
        }
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern regex;
        if (syntax.equalsIgnoreCase("glob")) {
            regex = Pattern.compile(Globs.toRegex(pattern));
        } else if (syntax.equalsIgnoreCase("regex")) {
            regex = Pattern.compile(pattern);
        } else {
            throw new UnsupportedOperationException("Syntax '" + syntax + "' not recognized");
        }
        return path -> regex.matcher(path.toString()).matches();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return kernel.principals;
    }

    /**
     * A watch service fed by the kernel's change events (no polling, no thread); it hears changes
     * made by any view of this kernel, and closes with this view.
     */
    @Override
    public WatchService newWatchService() throws IOException {
        ensureOpen();
        return track(new PageVfsWatchService(this));
    }

    /**
     * Path.register: the watch service must be a PageVFS one of the same kernel
     * (ProviderMismatchException otherwise); the directory is watched as this view's process.
     */
    WatchKey register(
            PageVfsPath path,
            WatchService watcher,
            WatchEvent.Kind<?>[] events,
            WatchEvent.Modifier... modifiers)
            throws IOException {
        Objects.requireNonNull(watcher, "watcher");
        if (!(watcher instanceof PageVfsWatchService ws)) {
            throw new ProviderMismatchException(
                    "not a PageVFS watch service: " + watcher.getClass().getName());
        }
        if (ws.kernel() != kernel.vfs) {
            throw new ProviderMismatchException(
                    "the watch service belongs to another PageVFS filesystem");
        }
        ensureOpen();
        return ws.register(path, events, modifiers);
    }

    // ---- for the provider
    // ------------------------------------------------------------------------------

    void ensureOpen() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
    }

    FileLocks fileLocks() {
        return fileLocks;
    }

    SharedKernel shared() {
        return kernel;
    }

    Principals principals() {
        return kernel.principals;
    }

    <T extends Closeable> T track(T resource) {
        resources.add(resource);
        if (!open) {
            resources.remove(resource);
            try {
                resource.close();
            } catch (IOException ignored) {
                // closing a resource opened during close: nothing more to report
            }
            throw new ClosedFileSystemException();
        }
        return resource;
    }

    void untrack(Closeable resource) {
        resources.remove(resource);
    }

    String workingDirectory() {
        try {
            return process.getcwd();
        } catch (VfsException e) {
            return "/";
        }
    }

    boolean isDirectoryQuietly(String path) {
        try {
            return process.stat(path).isDirectory();
        } catch (VfsException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "pagevfs://" + kernel.name + " as " + process.credentials();
    }
}
