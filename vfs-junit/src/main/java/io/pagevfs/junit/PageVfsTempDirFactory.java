package io.pagevfs.junit;

import io.pagevfs.core.Credentials;
import io.pagevfs.nio.PageVfs;
import io.pagevfs.nio.PageVfsConfig;
import io.pagevfs.nio.PageVfsFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Makes JUnit 5 {@code @TempDir} directories in a fresh PageVFS filesystem, one per directory, and
 * closes it when JUnit is done with the directory.
 *
 * <pre>{@code
 * @Test
 * void writesReport(@TempDir(factory = PageVfsTempDirFactory.class) Path dir) throws IOException {
 *     Files.writeString(dir.resolve("report.txt"), "ok");
 * }
 * }</pre>
 *
 * <p>The filesystem acts as an ordinary user ("user", uid 1000); the directory is that user's (mode
 * 0700) inside {@code /tmp} (mode 1777, as on Linux), so permission checks are real: the code under
 * test cannot write where an ordinary user could not. For another configuration, extend this class
 * with a public no-argument constructor passing a {@link PageVfsConfig}:
 *
 * <pre>{@code
 * public class SmallPagesTempDirFactory extends PageVfsTempDirFactory {
 *     public SmallPagesTempDirFactory() {
 *         super(PageVfsConfig.builder().pageSize(512).memoryLimit(1 << 20).build());
 *     }
 * }
 * }</pre>
 *
 * <p>JUnit deletes the directory before the factory closes the filesystem. It can reset permissions
 * that would stop it only on the default filesystem, so a test that leaves a directory without
 * write permission should say {@code cleanup = CleanupMode.NEVER}: deleting is needless anyway, as
 * closing drops the whole filesystem.
 */
public class PageVfsTempDirFactory implements TempDirFactory {
    /** Where the directories are made. */
    public static final String TMP = "/tmp";

    private final PageVfsConfig config;
    private final List<PageVfsFileSystem> filesystems = new ArrayList<>();

    /** The default configuration: an ordinary user, 4 KiB pages. */
    public PageVfsTempDirFactory() {
        this(PageVfsConfig.defaults());
    }

    protected PageVfsTempDirFactory(PageVfsConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A new filesystem with {@code /tmp}, and a new directory in it owned by the default user. */
    @Override
    public Path createTempDirectory(
            AnnotatedElementContext elementContext, ExtensionContext extensionContext)
            throws Exception {
        PageVfsFileSystem fs = PageVfs.newFileSystem(config);
        try {
            makeTmp(fs);
            Path dir = Files.createTempDirectory(fs.getPath(TMP), "junit");
            // Files.createTempDirectory asks for 0700 only on the default filesystem
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            synchronized (filesystems) {
                filesystems.add(fs);
            }
            return dir;
        } catch (IOException | RuntimeException | Error e) {
            fs.close();
            throw e;
        }
    }

    /** Creates {@code /tmp} as root if missing and gives it Linux's mode, 1777. */
    private static void makeTmp(PageVfsFileSystem fs) throws IOException {
        try (PageVfsFileSystem root = fs.newView(Credentials.root())) {
            Path tmp = root.getPath(TMP);
            if (!Files.isDirectory(tmp)) {
                Files.createDirectory(tmp);
            }
            Files.setAttribute(tmp, "unix:mode", 01777);
        }
    }

    /** Closes the filesystems this factory made (JUnit calls this after deleting the directory). */
    @Override
    public void close() throws IOException {
        List<PageVfsFileSystem> toClose;
        synchronized (filesystems) {
            toClose = new ArrayList<>(filesystems);
            filesystems.clear();
        }
        IOException failure = null;
        for (PageVfsFileSystem fs : toClose) {
            try {
                fs.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
