package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.*;

import io.pagevfs.core.Credentials;
import io.pagevfs.core.MountFlag;
import io.pagevfs.core.VolumeSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

class ProviderExamples {
    @Test
    void uri_roundTrip_findsFileSystemAndPath() throws Exception {
        URI uri = URI.create("pagevfs://examples-uri");
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
            assertSame(fs, FileSystems.getFileSystem(uri));
            assertThrows(
                    FileSystemAlreadyExistsException.class,
                    () -> FileSystems.newFileSystem(uri, Map.of()));
            Path p = Path.of(URI.create("pagevfs://examples-uri/a/b"));
            assertSame(fs, p.getFileSystem());
            assertEquals("/a/b", p.toString());
            Files.createDirectories(p);
            assertEquals(URI.create("pagevfs://examples-uri/a/b/"), p.toUri());
            assertEquals(p, Path.of(p.toUri()));
        }
        assertThrows(
                java.nio.file.FileSystemNotFoundException.class,
                () -> FileSystems.getFileSystem(uri));
    }

    @Test
    void files_writeReadListWalk() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path d = fs.getPath("/work");
            Files.createDirectory(d);
            Files.writeString(d.resolve("a.txt"), "alpha");
            Files.write(d.resolve("b.txt"), List.of("x", "y"));
            assertEquals("alpha", Files.readString(d.resolve("a.txt")));
            assertEquals(List.of("x", "y"), Files.readAllLines(d.resolve("b.txt")));
            try (Stream<Path> s = Files.list(d)) {
                assertEquals(
                        Set.of("a.txt", "b.txt"),
                        s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
            }
            try (Stream<Path> s = Files.walk(fs.getPath("/"))) {
                assertEquals(4, s.count());
            }
            assertEquals(
                    "rw-r--r--",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(d.resolve("a.txt"))));
            assertEquals(5L, Files.getAttribute(d.resolve("a.txt"), "size"));
            assertEquals(0100644, Files.getAttribute(d.resolve("a.txt"), "unix:mode"));
            Files.move(d.resolve("a.txt"), d.resolve("c.txt"));
            Files.copy(d.resolve("c.txt"), d.resolve("d.txt"));
            assertEquals("alpha", Files.readString(d.resolve("d.txt")));
            Files.delete(d.resolve("c.txt"));
            assertThrows(NoSuchFileException.class, () -> Files.delete(d.resolve("c.txt")));
        }
    }

    @Test
    void permissionsAndViews_areReal() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path secret = fs.getPath("/secret");
            Files.writeString(secret, "s", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            try (PageVfsFileSystem other = fs.newView(Credentials.of(1001, 1001))) {
                Path theirs = other.getPath("/secret");
                assertThrows(AccessDeniedException.class, () -> Files.readString(theirs));
                assertFalse(Files.isReadable(theirs));
                assertTrue(Files.exists(theirs));
            }
            assertTrue(Files.isReadable(secret));
            assertFalse(Files.isExecutable(secret));
        }
    }

    @Test
    void readOnlyMount_refusesWritesWithTheJdkReason() throws Exception {
        try (PageVfsFileSystem fs =
                PageVfs.newFileSystem(PageVfsConfig.builder().asRoot().build())) {
            Files.createDirectory(fs.getPath("/ro"));
            fs.mount("/ro", VolumeSpec.of("ro", 1 << 20), Set.of(MountFlag.READ_ONLY));
            FileSystemException e =
                    assertThrows(
                            FileSystemException.class,
                            () -> Files.writeString(fs.getPath("/ro/x"), "x"));
            assertEquals("Read-only file system", e.getReason());
            assertTrue(Files.getFileStore(fs.getPath("/ro")).isReadOnly());
            assertFalse(Files.isWritable(fs.getPath("/ro")));
            assertFalse(fs.isReadOnly());
        }
    }

    @Test
    void zipfs_onPageVfs_readsAndWrites() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path zip = fs.getPath("/archive.zip");
            try (java.util.zip.ZipOutputStream out =
                    new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
                out.putNextEntry(new ZipEntry("hello.txt"));
                out.write("hi".getBytes(StandardCharsets.UTF_8));
            }
            try (FileSystem z = FileSystems.newFileSystem(zip)) {
                assertEquals("hi", Files.readString(z.getPath("/hello.txt")));
                Files.writeString(z.getPath("/added.txt"), "more");
            }
            try (FileSystem z = FileSystems.newFileSystem(zip)) {
                assertEquals("more", Files.readString(z.getPath("/added.txt")));
            }
        }
    }
}
