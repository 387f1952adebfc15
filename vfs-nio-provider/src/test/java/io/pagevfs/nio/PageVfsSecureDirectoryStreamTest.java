package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.*;

import io.pagevfs.core.Credentials;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PageVfsSecureDirectoryStreamTest {
    private PageVfsFileSystem fs;
    private Path home;
    private Path d;

    @BeforeEach
    void setUp() throws Exception {
        fs =
                PageVfs.newFileSystem(
                        PageVfsConfig.builder()
                                .workingDirectory("/home")
                                .mount("/mnt", 1 << 20)
                                .build());
        home = fs.getPath("/home");
        d = Files.createDirectory(home.resolve("d"));
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.kernel().checkInvariants();
        fs.close();
    }

    private SecureDirectoryStream<Path> open(Path dir) throws Exception {
        DirectoryStream<Path> s = Files.newDirectoryStream(dir);
        return assertInstanceOf(SecureDirectoryStream.class, s);
    }

    private static List<String> names(DirectoryStream<Path> s) {
        List<String> out = new ArrayList<>();
        s.forEach(p -> out.add(p.getFileName().toString()));
        out.sort(null);
        return out;
    }

    private static void write(SeekableByteChannel ch, String text) throws Exception {
        try (ch) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void newDirectoryStream_isSecure_asTheJdksOnLinux() throws Exception {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            assertInstanceOf(SecureDirectoryStream.class, s);
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*.txt")) {
            assertInstanceOf(SecureDirectoryStream.class, s);
        }
    }

    @Test
    void directoryRenamedAfterOpening_operationsStillActOnIt() throws Exception {
        Files.writeString(d.resolve("old"), "old");
        Files.createDirectory(d.resolve("sub"));
        Files.writeString(d.resolve("sub/inner"), "inner");
        Files.writeString(d.resolve("perm"), "p");
        Object key = Files.readAttributes(d, BasicFileAttributes.class).fileKey();
        try (SecureDirectoryStream<Path> s = open(d)) {
            Path e = home.resolve("e");
            Files.move(d, e);
            Files.createDirectory(d); // a new, different directory at the old path

            write(
                    s.newByteChannel(
                            fs.getPath("new"),
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)),
                    "new");
            assertEquals("new", Files.readString(e.resolve("new")));
            assertFalse(Files.exists(d.resolve("new")));

            s.deleteFile(fs.getPath("old"));
            assertFalse(Files.exists(e.resolve("old")));

            PosixFileAttributeView perm =
                    s.getFileAttributeView(fs.getPath("perm"), PosixFileAttributeView.class);
            perm.setPermissions(PosixFilePermissions.fromString("rw-------"));
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(e.resolve("perm"))));

            BasicFileAttributes self =
                    s.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
            assertEquals(key, self.fileKey(), "the stream's own directory, now named e");

            try (SecureDirectoryStream<Path> sub = s.newDirectoryStream(fs.getPath("sub"))) {
                assertEquals(List.of("inner"), names(sub));
            }

            try (SecureDirectoryStream<Path> target = open(d)) {
                s.move(fs.getPath("perm"), target, fs.getPath("moved"));
            }
            assertTrue(Files.exists(d.resolve("moved")));
            assertFalse(Files.exists(e.resolve("perm")));

            assertEquals(List.of("new", "sub"), names(s), "the listing is of e");
        }
    }

    @Test
    void iteratedPaths_resolveAgainstTheOpeningPath() throws Exception {
        Files.createDirectory(d.resolve("sub"));
        Files.createFile(d.resolve("sub/f"));
        try (SecureDirectoryStream<Path> s = open(d);
                SecureDirectoryStream<Path> sub = s.newDirectoryStream(fs.getPath("sub"))) {
            List<Path> seen = new ArrayList<>();
            sub.forEach(seen::add);
            assertEquals(List.of(d.resolve("sub/f")), seen);
        }
    }

    @Test
    void closedStream_throwsClosedDirectoryStreamException_fromEveryOperation() throws Exception {
        Files.createFile(d.resolve("f"));
        SecureDirectoryStream<Path> s = open(d);
        SecureDirectoryStream<Path> other = open(home);
        BasicFileAttributeView selfView = s.getFileAttributeView(BasicFileAttributeView.class);
        PosixFileAttributeView fileView =
                s.getFileAttributeView(fs.getPath("f"), PosixFileAttributeView.class);
        s.close();
        s.close();
        Path f = fs.getPath("f");
        assertThrows(ClosedDirectoryStreamException.class, () -> s.newDirectoryStream(f));
        assertThrows(
                ClosedDirectoryStreamException.class,
                () -> s.newByteChannel(f, Set.of(StandardOpenOption.READ)));
        assertThrows(ClosedDirectoryStreamException.class, () -> s.deleteFile(f));
        assertThrows(ClosedDirectoryStreamException.class, () -> s.deleteDirectory(f));
        assertThrows(ClosedDirectoryStreamException.class, () -> s.move(f, other, f));
        assertThrows(ClosedDirectoryStreamException.class, () -> other.move(f, s, f));
        assertThrows(ClosedDirectoryStreamException.class, selfView::readAttributes);
        assertThrows(ClosedDirectoryStreamException.class, fileView::readAttributes);
        assertThrows(
                ClosedDirectoryStreamException.class,
                () -> fileView.setPermissions(PosixFilePermissions.fromString("rwx------")));
        assertThrows(ClosedDirectoryStreamException.class, s::iterator);
        other.close();
        assertTrue(Files.exists(d.resolve("f")), "nothing acted");
    }

    @Test
    void deletes_failAsTheJdksDo() throws Exception {
        Files.createDirectory(d.resolve("dir"));
        Files.createFile(d.resolve("dir/x"));
        Files.createFile(d.resolve("file"));
        try (SecureDirectoryStream<Path> s = open(d)) {
            FileSystemException isDir =
                    assertThrows(FileSystemException.class, () -> s.deleteFile(fs.getPath("dir")));
            assertEquals("Is a directory", isDir.getReason());
            assertThrows(
                    DirectoryNotEmptyException.class, () -> s.deleteDirectory(fs.getPath("dir")));
            FileSystemException notDir =
                    assertThrows(
                            FileSystemException.class, () -> s.deleteDirectory(fs.getPath("file")));
            assertEquals("Not a directory", notDir.getReason());
            assertEquals("file", notDir.getFile(), "errors name the path as given");
            assertThrows(NoSuchFileException.class, () -> s.deleteFile(fs.getPath("none")));
            s.deleteFile(fs.getPath("dir/x"));
            s.deleteDirectory(fs.getPath("dir"));
            assertFalse(Files.exists(d.resolve("dir")));
        }
    }

    @Test
    void newDirectoryStream_ofAFileOrALinkWithNofollow_fails() throws Exception {
        Files.createFile(d.resolve("file"));
        Files.createDirectory(d.resolve("real"));
        Files.createSymbolicLink(d.resolve("link"), fs.getPath("real"));
        try (SecureDirectoryStream<Path> s = open(d)) {
            assertThrows(
                    NotDirectoryException.class, () -> s.newDirectoryStream(fs.getPath("file")));
            FileSystemException loop =
                    assertThrows(
                            FileSystemException.class,
                            () ->
                                    s.newDirectoryStream(
                                            fs.getPath("link"), LinkOption.NOFOLLOW_LINKS));
            assertTrue(loop.getReason().startsWith("Too many levels of symbolic links"));
            try (SecureDirectoryStream<Path> viaLink = s.newDirectoryStream(fs.getPath("link"))) {
                assertEquals(List.of(), names(viaLink));
            }
        }
        assertEquals(0, fs.process().openDescriptors().length, "no descriptor is left open");
    }

    @Test
    void operations_areCheckedAsTheViewsProcess() throws Exception {
        try (PageVfsFileSystem root = fs.newView(Credentials.root())) {
            Path locked = Files.createDirectory(root.getPath("/home/locked"));
            Files.createFile(locked.resolve("f"));
            try (SecureDirectoryStream<Path> s = open(fs.getPath("/home/locked"))) {
                assertThrows(AccessDeniedException.class, () -> s.deleteFile(fs.getPath("f")));
                assertThrows(
                        AccessDeniedException.class,
                        () ->
                                s.newByteChannel(
                                        fs.getPath("g"),
                                        Set.of(
                                                StandardOpenOption.CREATE,
                                                StandardOpenOption.WRITE)));
            }
        }
    }

    @Test
    void deleteOnClose_unlinksRelativeToTheDirectoryAtOnce() throws Exception {
        try (SecureDirectoryStream<Path> s = open(d)) {
            SeekableByteChannel ch =
                    s.newByteChannel(
                            fs.getPath("tmp"),
                            Set.of(
                                    StandardOpenOption.CREATE_NEW,
                                    StandardOpenOption.WRITE,
                                    StandardOpenOption.DELETE_ON_CLOSE));
            assertFalse(Files.exists(d.resolve("tmp")), "unlinked at once, as the JDK on Linux");
            Files.move(d, home.resolve("e"));
            Files.createDirectory(d);
            Files.createFile(d.resolve("tmp")); // a namesake at the old path
            write(ch, "data");
            assertTrue(Files.exists(d.resolve("tmp")), "closing did not delete the namesake");
        }
    }

    @Test
    void move_acrossMountsOrToAForeignStream_fails() throws Exception {
        try (PageVfsFileSystem root = fs.newView(Credentials.root());
                PageVfsFileSystem otherFs = PageVfs.newFileSystem()) {
            Files.createFile(root.getPath("/home/d/f"));
            Files.setOwner(
                    root.getPath("/mnt"),
                    fs.getUserPrincipalLookupService().lookupPrincipalByName("user"));
            try (SecureDirectoryStream<Path> s = open(d);
                    SecureDirectoryStream<Path> mnt = open(fs.getPath("/mnt"));
                    SecureDirectoryStream<Path> asRoot = open(root.getPath("/home"));
                    SecureDirectoryStream<Path> foreign = open(otherFs.getPath("/"))) {
                Path f = fs.getPath("f");
                assertThrows(AtomicMoveNotSupportedException.class, () -> s.move(f, mnt, f));
                assertThrows(ProviderMismatchException.class, () -> s.move(f, asRoot, f));
                assertThrows(ProviderMismatchException.class, () -> s.move(f, foreign, f));
                assertThrows(NullPointerException.class, () -> s.move(f, null, f));
                s.move(f, s, fs.getPath("g"));
                assertTrue(Files.exists(d.resolve("g")));
            }
        }
    }

    @Test
    void attributeViews_ofTheDirectoryAndOfItsEntries() throws Exception {
        Files.createFile(d.resolve("f"));
        Files.createSymbolicLink(d.resolve("link"), fs.getPath("f"));
        try (SecureDirectoryStream<Path> s = open(d)) {
            PosixFileAttributeView self = s.getFileAttributeView(PosixFileAttributeView.class);
            self.setPermissions(PosixFilePermissions.fromString("rwx--x---"));
            assertEquals(
                    "rwx--x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
            self.setTimes(FileTime.fromMillis(1000), null, null);
            assertEquals(FileTime.fromMillis(1000), Files.getLastModifiedTime(d));
            assertEquals("user", self.getOwner().getName());
            assertTrue(self.readAttributes().isDirectory());

            BasicFileAttributeView link =
                    s.getFileAttributeView(
                            fs.getPath("link"),
                            BasicFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS);
            assertTrue(link.readAttributes().isSymbolicLink());
            BasicFileAttributeView target =
                    s.getFileAttributeView(fs.getPath("link"), BasicFileAttributeView.class);
            assertTrue(target.readAttributes().isRegularFile());
            target.setTimes(FileTime.fromMillis(2000), FileTime.fromMillis(3000), null);
            assertEquals(FileTime.fromMillis(2000), Files.getLastModifiedTime(d.resolve("f")));

            FileOwnerAttributeView owner =
                    s.getFileAttributeView(fs.getPath("f"), FileOwnerAttributeView.class);
            assertEquals("user", owner.getOwner().getName());
            assertThrows(
                    AccessDeniedException.class,
                    () ->
                            owner.setOwner(
                                    fs.getUserPrincipalLookupService()
                                            .lookupPrincipalByName("root")));

            assertNull(s.getFileAttributeView(DosFileAttributeView.class));
            assertNull(s.getFileAttributeView(fs.getPath("f"), UserDefinedFileAttributeView.class));
            assertThrows(
                    NoSuchFileException.class,
                    () ->
                            s.getFileAttributeView(fs.getPath("none"), BasicFileAttributeView.class)
                                    .readAttributes());
        }
    }

    @Test
    void foreignPaths_areRefused() throws Exception {
        try (SecureDirectoryStream<Path> s = open(d)) {
            Path local = Path.of("x");
            assertThrows(ProviderMismatchException.class, () -> s.deleteFile(local));
            assertThrows(ProviderMismatchException.class, () -> s.newDirectoryStream(local));
            assertThrows(
                    ProviderMismatchException.class,
                    () -> s.getFileAttributeView(local, BasicFileAttributeView.class));
        }
    }
}
