package io.pagevfs.nio;

import java.io.IOException;
import java.nio.file.spi.FileSystemProvider;

/**
 * The entry point for making PageVFS filesystems in code.
 *
 * <pre>{@code
 * try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
 *     Path p = fs.getPath("/notes.txt");
 *     Files.writeString(p, "hello");
 * }
 * }</pre>
 *
 * <p>The same filesystems can be made by URI: {@code
 * java.nio.file.FileSystems.newFileSystem(URI.create( "pagevfs://NAME"), env)} with the env keys of
 * {@link PageVfsConfig#fromEnv}.
 */
public final class PageVfs {
    private PageVfs() {}

    /** A new filesystem with the default configuration (an ordinary user, 4 KiB pages). */
    public static PageVfsFileSystem newFileSystem() throws IOException {
        return newFileSystem(PageVfsConfig.defaults());
    }

    /** A new filesystem made from {@code config}, registered under a generated name. */
    public static PageVfsFileSystem newFileSystem(PageVfsConfig config) throws IOException {
        return provider().createUnnamed(config);
    }

    /**
     * A new filesystem registered under {@code name}, as {@code
     * FileSystems.newFileSystem(pagevfs://name)}.
     */
    public static PageVfsFileSystem newFileSystem(String name, PageVfsConfig config)
            throws IOException {
        return provider().create(name, config, false);
    }

    /** The installed provider if ServiceLoader found one, else a private instance. */
    static PageVfsFileSystemProvider provider() {
        return Holder.PROVIDER;
    }

    private static final class Holder {
        static final PageVfsFileSystemProvider PROVIDER = find();

        private static PageVfsFileSystemProvider find() {
            for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
                if (p instanceof PageVfsFileSystemProvider pp) {
                    return pp;
                }
            }
            return new PageVfsFileSystemProvider();
        }
    }
}
