package io.pagevfs.nio;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One filesystem in a differential run: a base directory that every operation's paths are relative
 * to, a few channel slots that operations open and use, and what must be closed at the end. The
 * same relative path names the same file in every system, and results that are paths are reported
 * relative to the base, so outcomes compare as strings.
 */
final class DiffSystem implements Closeable {
    static final int SLOTS = 3;

    final String name;
    final Path base;
    final @Nullable FileChannel[] slots = new FileChannel[SLOTS];
    private final Closeable owner;

    private DiffSystem(String name, Path base, Closeable owner) {
        this.name = name;
        this.base = base;
        this.owner = owner;
    }

    /** PageVFS with its base /w: as root, or as the default ordinary user who owns /w. */
    static DiffSystem pageVfs(boolean asRoot) throws IOException {
        PageVfsConfig.Builder b = PageVfsConfig.builder().workingDirectory("/w");
        if (asRoot) {
            b.asRoot();
        }
        PageVfsFileSystem fs = PageVfs.newFileSystem(b.build());
        return new DiffSystem(asRoot ? "pagevfs-root" : "pagevfs-user", fs.getPath("/w"), fs);
    }

    /** The JDK's default provider in a fresh directory under /dev/shm (or java.io.tmpdir). */
    static DiffSystem jdk() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir =
                Files.isDirectory(shm) && Files.isWritable(shm)
                        ? Files.createTempDirectory(shm, "pagevfs-diff")
                        : Files.createTempDirectory("pagevfs-diff");
        Path base = dir.toRealPath();
        // as PageVFS's /w (a temporary directory is made rwx------)
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new DiffSystem("jdk", base, () -> deleteTree(base));
    }

    /** Jimfs with its Unix configuration, base /w. */
    static DiffSystem jimfs() throws IOException {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        Path base = Files.createDirectory(fs.getPath("/w"));
        return new DiffSystem("jimfs", base, fs);
    }

    Path path(String relative) {
        return base.resolve(relative);
    }

    /** A result path as the comparison sees it: relative to the base if it is absolute. */
    String rel(Path p) {
        return p.isAbsolute() ? base.relativize(p).toString() : p.toString();
    }

    /** A link target as the operations write it: "/x" is the absolute name of base/x. */
    Path linkTarget(String t) {
        return t.startsWith("/") ? base.resolve(t.substring(1)) : base.getFileSystem().getPath(t);
    }

    /**
     * A link target as the comparison sees it: an absolute one as "/" and its base-relative name.
     */
    String target(Path t) {
        return t.isAbsolute() ? "/" + base.relativize(t) : t.toString();
    }

    /**
     * The tree under the base, not following links: relative name to type, and size and contents
     * for files, the target for links.
     */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        walk(base, out);
        return out;
    }

    private void walk(Path dir, Map<String, String> out) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                BasicFileAttributes a =
                        Files.readAttributes(
                                p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String key = rel(p);
                if (a.isDirectory()) {
                    out.put(key, "dir" + permissions(p));
                    walk(p, out);
                } else if (a.isSymbolicLink()) {
                    out.put(key, "link -> " + target(Files.readSymbolicLink(p)));
                } else if (a.isRegularFile()) {
                    out.put(
                            key,
                            "file"
                                    + permissions(p)
                                    + " "
                                    + a.size()
                                    + " "
                                    + hex(Files.readAllBytes(p)));
                } else {
                    out.put(key, "other");
                }
            }
        }
    }

    /** " rwxr-xr-x" where the filesystem has permissions (Jimfs's Unix configuration has not). */
    private String permissions(Path p) throws IOException {
        if (!base.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return "";
        }
        return " "
                + PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < SLOTS; i++) {
            FileChannel c = slots[i];
            slots[i] = null;
            if (c != null) {
                c.close();
            }
        }
        owner.close();
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                for (Path c : s) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    @Override
    public String toString() {
        return name;
    }
}
