package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.AT_FDCWD;
import static io.pagevfs.core.Fcntl.O_APPEND;
import static io.pagevfs.core.Fcntl.O_CREAT;
import static io.pagevfs.core.Fcntl.O_DIRECTORY;
import static io.pagevfs.core.Fcntl.O_RDONLY;
import static io.pagevfs.core.Fcntl.O_RDWR;
import static io.pagevfs.core.Fcntl.O_WRONLY;
import static io.pagevfs.core.Fcntl.SEEK_CUR;
import static io.pagevfs.core.Fcntl.SEEK_END;
import static io.pagevfs.core.Fcntl.SEEK_SET;
import static io.pagevfs.core.Fcntl.UTIME_NOW;
import static io.pagevfs.core.Fcntl.UTIME_OMIT;
import static io.pagevfs.core.VfsTesting.assertFailsUnchanged;
import static io.pagevfs.core.VfsTesting.assertThrowsUnchanged;
import static io.pagevfs.core.VfsTesting.bytes;
import static io.pagevfs.core.VfsTesting.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad requests: each fails with the errno Linux gives (or, for a null argument, a
 * NullPointerException) and leaves the whole machine exactly as it was, timestamps included.
 */
class BadInputTest {
    private Vfs vfs;
    private Process root;

    /** The owner of /d/f, a set-user-id file, so a write that slips through shows. */
    private Process user;

    private int rfd;
    private int wfd;
    private int rwfd;
    private int dirfd;
    private int closedFd;

    @BeforeEach
    void setUp() throws Exception {
        vfs = VfsTesting.newVfs();
        root = vfs.newProcess(Credentials.root());
        user = vfs.newProcess(Credentials.of(1000, 1000));
        root.mkdir("/d", 0777);
        root.chmod("/d", 0777);
        writeFile(user, "/d/f", "content");
        user.chmod("/d/f", 04755);
        user.mkdir("/d/sub", 0755);
        user.symlink("f", "/d/link");
        user.setxattr("/d/f", "user.x", bytes("1"), 0);
        root.mkdir("/mnt", 0755);
        rfd = user.open("/d/f", O_RDONLY);
        wfd = user.open("/d/f", O_WRONLY);
        rwfd = user.open("/d/f", O_RDWR);
        dirfd = user.open("/d", O_RDONLY | O_DIRECTORY);
        closedFd = user.open("/d/f", O_RDONLY);
        user.close(closedFd);
        user.lseek(rwfd, 3, SEEK_SET);
    }

    @AfterEach
    void tearDown() throws VfsException {
        assertEquals(04755, root.stat("/d/f").permissions(), "no bad call cleared set-user-id");
        vfs.checkInvariants();
        vfs.close();
    }

    private static ByteBuffer buf(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }

    private Stream<DynamicTest> expect(Errno errno, Map<String, VfsTesting.Call> calls) {
        return calls.entrySet().stream()
                .map(
                        e ->
                                dynamicTest(
                                        e.getKey() + " -> " + errno,
                                        () -> assertFailsUnchanged(vfs, errno, e.getValue())));
    }

    // ---- null arguments
    // --------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> nullArgument_isNullPointerException_changingNothing() {
        Process p = user;
        byte[] v = bytes("v");
        Map<String, VfsTesting.Call> calls = new LinkedHashMap<>();
        calls.put("stat", () -> p.stat(null));
        calls.put("lstat", () -> p.lstat(null));
        calls.put("statAt", () -> p.statAt(dirfd, null, 0));
        calls.put("open", () -> p.open(null, O_RDONLY));
        calls.put("open O_CREAT", () -> p.open(null, O_CREAT | O_RDWR, 0644));
        calls.put("openAt", () -> p.openAt(dirfd, null, O_RDONLY, 0));
        calls.put("mkdir", () -> p.mkdir(null, 0755));
        calls.put("mknod", () -> p.mknod(null, Mode.S_IFREG | 0644, 0));
        calls.put("rmdir", () -> p.rmdir(null));
        calls.put("unlink", () -> p.unlink(null));
        calls.put("rename old", () -> p.rename(null, "/d/x"));
        calls.put("rename new", () -> p.rename("/d/f", null));
        calls.put("link old", () -> p.link(null, "/d/x"));
        calls.put("link new", () -> p.link("/d/f", null));
        calls.put("symlink target", () -> p.symlink(null, "/d/x"));
        calls.put("symlink path", () -> p.symlink("f", null));
        calls.put("readlink", () -> p.readlink(null));
        calls.put("chmod", () -> p.chmod(null, 0644));
        calls.put("chown", () -> p.chown(null, -1, -1));
        calls.put("utimens", () -> p.utimens(null, UTIME_NOW, UTIME_NOW));
        calls.put("utimens omit", () -> p.utimens(null, UTIME_OMIT, UTIME_OMIT));
        calls.put("access", () -> p.access(null, Mode.F_OK));
        calls.put("truncate", () -> p.truncate(null, 0));
        calls.put("chdir", () -> p.chdir(null));
        calls.put("chroot", () -> root.chroot(null));
        calls.put("getxattr path", () -> p.getxattr(null, "user.x"));
        calls.put("getxattr name", () -> p.getxattr("/d/f", null));
        calls.put("setxattr path", () -> p.setxattr(null, "user.x", v, 0));
        calls.put("setxattr name", () -> p.setxattr("/d/f", null, v, 0));
        calls.put("setxattr value", () -> p.setxattr("/d/f", "user.x", null, 0));
        calls.put("listxattr", () -> p.listxattr(null));
        calls.put("removexattr name", () -> p.removexattr("/d/f", null));
        calls.put("read", () -> p.read(rfd, (ByteBuffer) null));
        calls.put("read array", () -> p.read(rfd, null, 0, 1));
        calls.put("pread", () -> p.pread(rfd, null, 0));
        calls.put("write", () -> p.write(wfd, (ByteBuffer) null));
        calls.put("write array", () -> p.write(wfd, null, 0, 1));
        calls.put("pwrite", () -> p.pwrite(wfd, null, 0));
        calls.put("statfs", () -> p.statfs(null));
        calls.put("execve", () -> p.execve(null));
        calls.put("listDirectory", () -> p.listDirectory(null));
        calls.put("setCredentials", () -> root.setCredentials(null));
        calls.put("mount spec", () -> root.mount(null, "/mnt", Set.of()));
        calls.put("mount target", () -> root.mount(VolumeSpec.of("v", 4096), null, Set.of()));
        calls.put("mount flags", () -> root.mount(VolumeSpec.of("v", 4096), "/mnt", null));
        calls.put("bindMount source", () -> root.bindMount(null, "/mnt", Set.of()));
        calls.put("bindMount target", () -> root.bindMount("/d", null, Set.of()));
        calls.put("remount", () -> root.remount("/", null));
        calls.put("umount", () -> root.umount(null));
        calls.put("newProcess", () -> vfs.newProcess(null));
        return calls.entrySet().stream()
                .map(
                        e ->
                                dynamicTest(
                                        e.getKey() + "(null) -> NullPointerException",
                                        () ->
                                                assertThrowsUnchanged(
                                                        vfs,
                                                        NullPointerException.class,
                                                        e.getValue())));
    }

    // ---- empty paths
    // -----------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> emptyPath_isENOENT() {
        Process p = user;
        Map<String, VfsTesting.Call> calls = new LinkedHashMap<>();
        calls.put("stat", () -> p.stat(""));
        calls.put("lstat", () -> p.lstat(""));
        calls.put("statAt dirfd", () -> p.statAt(dirfd, "", 0));
        calls.put("open", () -> p.open("", O_RDONLY));
        calls.put("open O_CREAT", () -> p.open("", O_CREAT | O_RDWR, 0644));
        calls.put("mkdir", () -> p.mkdir("", 0755));
        calls.put("mknod", () -> p.mknod("", Mode.S_IFREG | 0644, 0));
        calls.put("rmdir", () -> p.rmdir(""));
        calls.put("unlink", () -> p.unlink(""));
        calls.put("rename old", () -> p.rename("", "/d/x"));
        calls.put("rename new", () -> p.rename("/d/f", ""));
        calls.put("link old", () -> p.link("", "/d/x"));
        calls.put("link new", () -> p.link("/d/f", ""));
        calls.put("symlink target", () -> p.symlink("", "/d/x"));
        calls.put("symlink path", () -> p.symlink("f", ""));
        calls.put("readlink", () -> p.readlink(""));
        calls.put("chmod", () -> p.chmod("", 0644));
        calls.put("chown", () -> p.chown("", -1, -1));
        calls.put("utimens", () -> p.utimens("", UTIME_NOW, UTIME_NOW));
        calls.put("access", () -> p.access("", Mode.F_OK));
        calls.put("truncate", () -> p.truncate("", 0));
        calls.put("chdir", () -> p.chdir(""));
        calls.put("chroot", () -> root.chroot(""));
        calls.put("setxattr", () -> p.setxattr("", "user.x", bytes("v"), 0));
        calls.put("getxattr", () -> p.getxattr("", "user.x"));
        calls.put("listxattr", () -> p.listxattr(""));
        calls.put("removexattr", () -> p.removexattr("", "user.x"));
        calls.put("statfs", () -> p.statfs(""));
        calls.put("execve", () -> p.execve(""));
        calls.put("mount", () -> root.mount(VolumeSpec.of("v", 4096), "", Set.of()));
        calls.put("bindMount", () -> root.bindMount("", "/mnt", Set.of()));
        calls.put("umount", () -> root.umount(""));
        return expect(Errno.ENOENT, calls);
    }

    // ---- NUL
    // -------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> nameWithNul_isEINVAL() {
        Process p = user;
        Map<String, VfsTesting.Call> calls = new LinkedHashMap<>();
        calls.put("stat", () -> p.stat("/d/f\0x"));
        calls.put("open O_CREAT", () -> p.open("/d/new\0", O_CREAT | O_RDWR, 0644));
        calls.put("mkdir", () -> p.mkdir("/d/a\0b", 0755));
        calls.put("mkdir in the middle", () -> p.mkdir("/d\0/x", 0755));
        calls.put("symlink target", () -> p.symlink("f\0", "/d/x"));
        calls.put("symlink path", () -> p.symlink("f", "/d/x\0"));
        calls.put("rename", () -> p.rename("/d/f", "/d/g\0"));
        calls.put("link", () -> p.link("/d/f", "/d/g\0"));
        calls.put("unlink", () -> p.unlink("/d/f\0"));
        calls.put("setxattr", () -> p.setxattr("/d/f\0", "user.x", bytes("v"), 0));
        calls.put("chdir", () -> p.chdir("/d\0"));
        return expect(Errno.EINVAL, calls);
    }

    // ---- name and path lengths
    // -------------------------------------------------------------------

    @Test
    void name_of256Bytes_isENAMETOOLONG_for_everyCall() {
        String n = "/d/" + "x".repeat(256);
        Process p = user;
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.open(n, O_CREAT | O_RDWR, 0644));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.open(n, O_RDONLY));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.mkdir(n, 0755));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.mknod(n, Mode.S_IFREG | 0600, 0));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.symlink("f", n));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.link("/d/f", n));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.rename("/d/f", n));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.rename(n, "/d/g"));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.stat(n));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.unlink(n));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.rmdir(n));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.stat(n + "/x"));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> p.mkdir(n + "/x", 0755));
    }

    @Test
    void name_of255Bytes_isAccepted() throws Exception {
        String base = "x".repeat(254);
        user.close(user.open("/d/" + base + "1", O_CREAT | O_RDWR, 0644));
        user.mkdir("/d/" + base + "2", 0755);
        user.symlink("f", "/d/" + base + "3");
        user.link("/d/f", "/d/" + base + "4");
        user.rename("/d/" + base + "4", "/d/" + base + "5");
        user.mkdir("/d/" + base + "2/" + base + "6", 0755);
        assertTrue(user.stat("/d/" + base + "2/" + base + "6").isDirectory());
        assertEquals(255, user.statfs("/d").nameMax());
    }

    /** Linux counts bytes of UTF-8, not characters. */
    @Test
    void multiByteName_limitIsInUtf8Bytes() throws Exception {
        String[] ok = {
            "é".repeat(127) + "a", // 2-byte characters: 255 bytes in 128 chars
            "€".repeat(85), // 3-byte characters: 255 bytes in 85 chars
            "😀".repeat(63) + "abc", // 4-byte characters (surrogate pairs): 255 bytes
        };
        String[] tooLong = {
            "é".repeat(128), // 256 bytes in 128 chars
            "€".repeat(85) + "a", // 256 bytes in 86 chars
            "😀".repeat(64), // 256 bytes in 128 chars
            "é".repeat(200), // 400 bytes in only 200 chars
        };
        for (String name : tooLong) {
            assertFailsUnchanged(
                    vfs, Errno.ENAMETOOLONG, () -> user.open("/d/" + name, O_CREAT | O_RDWR, 0644));
            assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> user.mkdir("/d/" + name, 0755));
            assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> user.stat("/d/" + name));
        }
        for (String name : ok) {
            writeFile(user, "/d/" + name, name);
            assertEquals(name, VfsTesting.readString(user, "/d/" + name));
        }
        List<String> listed = user.listDirectory("/d").stream().map(DirEntry::name).toList();
        for (String name : ok) {
            assertTrue(listed.contains(name), "listed exactly as created: " + name);
        }
    }

    @Test
    void path_of4096Bytes_isENAMETOOLONG_of4095_isFine() throws Exception {
        String ok = "/".repeat(4092) + "d/f"; // 4095 bytes
        assertEquals(4095, ok.length());
        assertEquals(root.stat("/d/f").ino(), user.stat(ok).ino());
        String tooLong = "/" + ok;
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> user.stat(tooLong));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> user.unlink(tooLong));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> user.open(tooLong, O_RDONLY));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> user.symlink(tooLong, "/d/l2"));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> user.rename("/d/f", tooLong));
        user.symlink(ok, "/d/l2");
        assertEquals(ok, user.readlink("/d/l2"));
    }

    /** 15 directories of 255-byte names (85 three-byte characters) and a last name. */
    @Test
    void path_lengthIsInUtf8Bytes() throws Exception {
        String component = "€".repeat(85);
        StringBuilder dir = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            dir.append('/').append(component);
            user.mkdir(i == 0 ? "/d/../" + dir.substring(1) : dir.toString(), 0755);
        }
        assertEquals(3840, bytes(dir.toString()).length);
        String ok = dir + "/" + "€".repeat(84) + "ab"; // 3840 + 1 + 254 = 4095 bytes
        assertEquals(4095, bytes(ok).length);
        writeFile(user, ok, "deep");
        assertEquals("deep", VfsTesting.readString(user, ok));
        String tooLong = dir + "/" + "€".repeat(85); // 4096 bytes in 1375 chars
        assertEquals(4096, bytes(tooLong).length);
        assertFailsUnchanged(
                vfs, Errno.ENAMETOOLONG, () -> user.open(tooLong, O_CREAT | O_RDWR, 0644));
        assertFailsUnchanged(vfs, Errno.ENAMETOOLONG, () -> user.stat(tooLong));
    }

    // ---- sizes and offsets
    // -----------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> negativeSizeOrOffset_isEINVAL() {
        Process p = user;
        Map<String, VfsTesting.Call> calls = new LinkedHashMap<>();
        calls.put("truncate -1", () -> p.truncate("/d/f", -1));
        calls.put("truncate MIN", () -> p.truncate("/d/f", Long.MIN_VALUE));
        calls.put("truncate -1 of a missing file", () -> p.truncate("/d/none", -1));
        calls.put("ftruncate -1", () -> p.ftruncate(wfd, -1));
        calls.put("ftruncate MIN", () -> p.ftruncate(rwfd, Long.MIN_VALUE));
        calls.put("ftruncate -1 of a bad fd", () -> p.ftruncate(99, -1));
        calls.put("pread -1", () -> p.pread(rfd, buf(1), -1));
        calls.put("pread MIN", () -> p.pread(rwfd, buf(1), Long.MIN_VALUE));
        calls.put("pread -1 of a bad fd", () -> p.pread(99, buf(1), -1));
        calls.put("pread -1 of a write-only fd", () -> p.pread(wfd, buf(1), -1));
        calls.put("pread -1 of a directory", () -> p.pread(dirfd, buf(1), -1));
        calls.put("pwrite -1", () -> p.pwrite(wfd, buf(1), -1));
        calls.put("pwrite -1 of nothing", () -> p.pwrite(wfd, buf(0), -1));
        calls.put("pwrite -1 of a bad fd", () -> p.pwrite(99, buf(1), -1));
        calls.put("pwrite -1 of a read-only fd", () -> p.pwrite(rfd, buf(1), -1));
        calls.put("lseek SET -1", () -> p.lseek(rwfd, -1, SEEK_SET));
        calls.put("lseek CUR below 0", () -> p.lseek(rwfd, -4, SEEK_CUR));
        calls.put("lseek END below 0", () -> p.lseek(rwfd, -8, SEEK_END));
        return expect(Errno.EINVAL, calls);
    }

    /**
     * Linux's rw_verify_area: a read or write whose end would pass Long.MAX_VALUE is EINVAL,
     * whatever the file's size; nothing is written, not even a short part.
     */
    @TestFactory
    Stream<DynamicTest> rangeOverflowingLongMaxValue_isEINVAL() {
        Process p = user;
        long max = Long.MAX_VALUE;
        Map<String, VfsTesting.Call> calls = new LinkedHashMap<>();
        calls.put("pwrite 1 byte at MAX", () -> p.pwrite(rwfd, buf(1), max));
        calls.put("pwrite 100 bytes at MAX-10", () -> p.pwrite(rwfd, buf(100), max - 10));
        calls.put("pwrite 11 bytes at MAX-10", () -> p.pwrite(rwfd, buf(11), max - 10));
        calls.put("pread 100 bytes at MAX-10", () -> p.pread(rwfd, buf(100), max - 10));
        calls.put("pread 1 byte at MAX", () -> p.pread(rfd, buf(1), max));
        calls.put(
                "write 100 bytes at offset MAX-5",
                () -> {
                    p.lseek(rwfd, max - 5, SEEK_SET);
                    try {
                        p.write(rwfd, buf(100));
                    } finally {
                        p.lseek(rwfd, 3, SEEK_SET);
                    }
                });
        calls.put(
                "read 100 bytes at offset MAX-5",
                () -> {
                    p.lseek(rwfd, max - 5, SEEK_SET);
                    try {
                        p.read(rwfd, buf(100));
                    } finally {
                        p.lseek(rwfd, 3, SEEK_SET);
                    }
                });
        calls.put("lseek CUR past MAX", () -> p.lseek(rwfd, max - 2, SEEK_CUR));
        calls.put("lseek END past MAX", () -> p.lseek(rwfd, max, SEEK_END));
        return expect(Errno.EINVAL, calls);
    }

    @Test
    void rangeEndingExactlyAtLongMaxValue_isFine() throws Exception {
        long max = Long.MAX_VALUE;
        String before = VfsTesting.snapshot(vfs);
        assertEquals(0, user.pwrite(rwfd, buf(0), max), "nothing to write");
        assertEquals(0, user.pread(rwfd, buf(0), max));
        assertEquals(before, VfsTesting.snapshot(vfs));
        assertEquals(0, user.pread(rwfd, buf(10), max - 10), "past the end of file");
        assertEquals(10, user.pwrite(rwfd, ByteBuffer.wrap(bytes("0123456789")), max - 10));
        assertEquals(max, user.fstat(rwfd).size());
        assertEquals(16, user.fstat(rwfd).blocks(), "page 0 and the last page");
        ByteBuffer back = buf(10);
        assertEquals(10, user.pread(rwfd, back, max - 10));
        assertEquals("0123456789", VfsTesting.string(back.array()));
        user.chmod("/d/f", 04755); // the write cleared set-user-id, as it should
    }

    /**
     * With O_APPEND the position is the file size, checked after rw_verify_area: at the maximum
     * size a write is EFBIG, and just below it is short, as Linux's generic_write_check_limits.
     */
    @Test
    void appendAtTheMaximumFileSize_isShortThenEFBIG() throws Exception {
        int fd = root.open("/big", O_CREAT | O_WRONLY | O_APPEND, 0644);
        root.ftruncate(fd, Long.MAX_VALUE - 10);
        assertEquals(10, root.write(fd, buf(100)), "short write up to the maximum size");
        assertEquals(Long.MAX_VALUE, root.fstat(fd).size());
        assertEquals(Long.MAX_VALUE, root.lseek(fd, 0, SEEK_CUR));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> root.write(fd, buf(100)));
        root.lseek(fd, 0, SEEK_SET);
        assertFailsUnchanged(vfs, Errno.EFBIG, () -> root.write(fd, buf(100)));
        assertFailsUnchanged(vfs, Errno.EFBIG, () -> root.pwrite(fd, buf(1), 0));
        assertEquals(0, root.write(fd, buf(0)), "an empty write is not an error");
    }

    // ---- descriptors
    // ------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> closedOrNeverOpenedDescriptor_isEBADF() {
        Process p = user;
        Map<String, VfsTesting.Call> calls = new LinkedHashMap<>();
        for (int fd : new int[] {closedFd, 99, -1, Integer.MAX_VALUE, AT_FDCWD}) {
            String n = fd == closedFd ? "closed fd" : "fd " + fd;
            calls.put("read " + n, () -> p.read(fd, buf(1)));
            calls.put("write " + n, () -> p.write(fd, buf(1)));
            calls.put("pread " + n, () -> p.pread(fd, buf(1), 0));
            calls.put("pwrite " + n, () -> p.pwrite(fd, buf(1), 0));
            calls.put("lseek " + n, () -> p.lseek(fd, 0, SEEK_SET));
            calls.put("fstat " + n, () -> p.fstat(fd));
            calls.put("fstatfs " + n, () -> p.fstatfs(fd));
            calls.put("close " + n, () -> p.close(fd));
            calls.put("dup " + n, () -> p.dup(fd));
            calls.put("dup2 " + n, () -> p.dup2(fd, 20));
            calls.put("ftruncate " + n, () -> p.ftruncate(fd, 0));
            calls.put("fsync " + n, () -> p.fsync(fd));
            calls.put("fchmod " + n, () -> p.fchmod(fd, 0644));
            calls.put("fchown " + n, () -> p.fchown(fd, -1, -1));
            calls.put("fchdir " + n, () -> p.fchdir(fd));
            calls.put("readdir " + n, () -> p.readdir(fd));
            calls.put("getFlags " + n, () -> p.getFlags(fd));
            calls.put("setFlags " + n, () -> p.setFlags(fd, O_APPEND));
            calls.put("isCloseOnExec " + n, () -> p.isCloseOnExec(fd));
            calls.put("setCloseOnExec " + n, () -> p.setCloseOnExec(fd, true));
            if (fd != AT_FDCWD) {
                calls.put("openAt " + n, () -> p.openAt(fd, "f", O_RDONLY, 0));
                calls.put("openAt O_CREAT " + n, () -> p.openAt(fd, "n", O_CREAT | O_RDWR, 0644));
                calls.put("statAt " + n, () -> p.statAt(fd, "f", 0));
                calls.put("mkdirAt " + n, () -> p.mkdirAt(fd, "n", 0755));
                calls.put("unlinkAt " + n, () -> p.unlinkAt(fd, "f", 0));
                calls.put("renameAt " + n, () -> p.renameAt(fd, "f", AT_FDCWD, "/d/g", 0));
                calls.put("linkAt " + n, () -> p.linkAt(AT_FDCWD, "/d/f", fd, "g", 0));
                calls.put("symlinkAt " + n, () -> p.symlinkAt("f", fd, "g"));
                calls.put("readlinkAt " + n, () -> p.readlinkAt(fd, "link"));
                calls.put("chmodAt " + n, () -> p.chmodAt(fd, "f", 0644, 0));
                calls.put("chownAt " + n, () -> p.chownAt(fd, "f", -1, -1, 0));
                calls.put("utimensAt " + n, () -> p.utimensAt(fd, "f", UTIME_NOW, UTIME_NOW, 0));
                calls.put("accessAt " + n, () -> p.accessAt(fd, "f", Mode.F_OK, 0));
            }
        }
        calls.put("dup2 to -1", () -> p.dup2(rfd, -1));
        calls.put("dup2 to the limit", () -> p.dup2(rfd, vfs.config().maxOpenFiles()));
        return expect(Errno.EBADF, calls);
    }

    @TestFactory
    Stream<DynamicTest> wrongKindOfDescriptor_fails() {
        Process p = user;
        Map<String, Map.Entry<Errno, VfsTesting.Call>> calls = new LinkedHashMap<>();
        calls.put("write read-only", Map.entry(Errno.EBADF, () -> p.write(rfd, buf(1))));
        calls.put("pwrite read-only", Map.entry(Errno.EBADF, () -> p.pwrite(rfd, buf(1), 0)));
        calls.put("read write-only", Map.entry(Errno.EBADF, () -> p.read(wfd, buf(1))));
        calls.put("pread write-only", Map.entry(Errno.EBADF, () -> p.pread(wfd, buf(1), 0)));
        calls.put("write directory", Map.entry(Errno.EBADF, () -> p.write(dirfd, buf(1))));
        calls.put("read directory", Map.entry(Errno.EISDIR, () -> p.read(dirfd, buf(1))));
        calls.put("read directory nothing", Map.entry(Errno.EISDIR, () -> p.read(dirfd, buf(0))));
        calls.put("pread directory", Map.entry(Errno.EISDIR, () -> p.pread(dirfd, buf(1), 0)));
        calls.put("ftruncate read-only", Map.entry(Errno.EINVAL, () -> p.ftruncate(rfd, 0)));
        calls.put("ftruncate directory", Map.entry(Errno.EINVAL, () -> p.ftruncate(dirfd, 0)));
        calls.put("readdir file", Map.entry(Errno.ENOTDIR, () -> p.readdir(rfd)));
        calls.put("fchdir file", Map.entry(Errno.ENOTDIR, () -> p.fchdir(rfd)));
        calls.put("openAt file", Map.entry(Errno.ENOTDIR, () -> p.openAt(rfd, "x", O_RDONLY, 0)));
        return calls.entrySet().stream()
                .map(
                        e ->
                                dynamicTest(
                                        e.getKey() + " -> " + e.getValue().getKey(),
                                        () ->
                                                assertFailsUnchanged(
                                                        vfs,
                                                        e.getValue().getKey(),
                                                        e.getValue().getValue())));
    }

    /** Access mode 3 (O_ACCMODE) checks read and write permission but allows neither. */
    @Test
    void accessModeThree_neitherReadsNorWrites() throws Exception {
        int fd = user.open("/d/f", 3);
        assertFailsUnchanged(vfs, Errno.EBADF, () -> user.read(fd, buf(1)));
        assertFailsUnchanged(vfs, Errno.EBADF, () -> user.write(fd, buf(1)));
        Process stranger = vfs.newProcess(Credentials.of(2000, 2000));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> stranger.open("/d/f", 3));
        user.close(fd);
    }

    // ---- flags
    // ------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> badFlags_areEINVAL() {
        Process p = user;
        int bogus = 0x10000000;
        Map<String, VfsTesting.Call> calls = new LinkedHashMap<>();
        calls.put("statAt", () -> p.statAt(AT_FDCWD, "/d/f", bogus));
        calls.put("statAt of a missing file", () -> p.statAt(AT_FDCWD, "/d/none", bogus));
        calls.put("accessAt flags", () -> p.accessAt(AT_FDCWD, "/d/f", Mode.R_OK, bogus));
        calls.put("access mode 8", () -> p.access("/d/f", 8));
        calls.put("access mode -1", () -> p.access("/d/none", -1));
        calls.put("unlinkAt", () -> p.unlinkAt(AT_FDCWD, "/d/f", Fcntl.AT_SYMLINK_NOFOLLOW));
        calls.put("renameAt flag 8", () -> p.renameAt(AT_FDCWD, "/d/f", AT_FDCWD, "/d/g", 8));
        calls.put(
                "renameAt NOREPLACE|EXCHANGE",
                () ->
                        p.renameAt(
                                AT_FDCWD,
                                "/d/f",
                                AT_FDCWD,
                                "/d/sub",
                                Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_EXCHANGE));
        calls.put(
                "linkAt NOFOLLOW",
                () -> p.linkAt(AT_FDCWD, "/d/f", AT_FDCWD, "/d/g", Fcntl.AT_SYMLINK_NOFOLLOW));
        calls.put("chmodAt", () -> p.chmodAt(AT_FDCWD, "/d/f", 0644, bogus));
        calls.put("chownAt", () -> p.chownAt(AT_FDCWD, "/d/f", -1, -1, bogus));
        calls.put("utimensAt", () -> p.utimensAt(AT_FDCWD, "/d/f", UTIME_NOW, UTIME_NOW, bogus));
        calls.put("setxattr", () -> p.setxattr("/d/f", "user.y", bytes("v"), 4));
        calls.put("lseek whence 5", () -> p.lseek(rwfd, 0, 5));
        calls.put("lseek whence -1", () -> p.lseek(rwfd, 0, -1));
        calls.put(
                "open O_CREAT|O_DIRECTORY new",
                () -> p.open("/d/n", O_CREAT | O_DIRECTORY | O_RDWR, 0755));
        calls.put(
                "open O_CREAT|O_DIRECTORY existing",
                () -> p.open("/d/sub", O_CREAT | O_DIRECTORY, 0755));
        calls.put("mknod bad type", () -> p.mknod("/d/n", 0170000 | 0644, 0));
        return expect(Errno.EINVAL, calls);
    }

    @Test
    void unknownOpenFlags_areIgnored_asLinuxOpenDoes() throws Exception {
        int fd = user.open("/d/f", O_RDONLY | 0x40000000);
        assertEquals(O_RDONLY, user.getFlags(fd) & Fcntl.O_ACCMODE);
        user.close(fd);
    }

    @Test
    void unsupportedFileKinds_failLoudlyWithENOTSUP() {
        assertFailsUnchanged(
                vfs, Errno.ENOTSUP, () -> user.mknod("/d/fifo", Mode.S_IFIFO | 0644, 0));
        assertFailsUnchanged(
                vfs, Errno.ENOTSUP, () -> user.mknod("/d/sock", Mode.S_IFSOCK | 0644, 0));
        assertFailsUnchanged(vfs, Errno.ENOTSUP, () -> user.open("/d/f", Fcntl.O_PATH));
        assertFailsUnchanged(
                vfs,
                Errno.ENOTSUP,
                () -> user.chmodAt(AT_FDCWD, "/d/link", 0600, Fcntl.AT_SYMLINK_NOFOLLOW));
    }

    @Test
    void writeOfNothing_byAnUnprivilegedWriter_keepsSetUserId() throws Exception {
        String before = VfsTesting.snapshot(vfs);
        assertEquals(0, user.write(wfd, buf(0)));
        assertEquals(0, user.pwrite(wfd, buf(0), 100));
        assertEquals(before, VfsTesting.snapshot(vfs), "Linux returns before file_remove_privs");
    }
}
