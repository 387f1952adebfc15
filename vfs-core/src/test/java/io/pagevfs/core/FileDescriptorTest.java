package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.O_APPEND;
import static io.pagevfs.core.Fcntl.O_CLOEXEC;
import static io.pagevfs.core.Fcntl.O_CREAT;
import static io.pagevfs.core.Fcntl.O_EXCL;
import static io.pagevfs.core.Fcntl.O_NONBLOCK;
import static io.pagevfs.core.Fcntl.O_RDONLY;
import static io.pagevfs.core.Fcntl.O_RDWR;
import static io.pagevfs.core.Fcntl.O_TRUNC;
import static io.pagevfs.core.Fcntl.O_WRONLY;
import static io.pagevfs.core.Fcntl.SEEK_CUR;
import static io.pagevfs.core.Fcntl.SEEK_DATA;
import static io.pagevfs.core.Fcntl.SEEK_END;
import static io.pagevfs.core.Fcntl.SEEK_HOLE;
import static io.pagevfs.core.Fcntl.SEEK_SET;
import static io.pagevfs.core.VfsTesting.assertErrno;
import static io.pagevfs.core.VfsTesting.assertFailsUnchanged;
import static io.pagevfs.core.VfsTesting.bytes;
import static io.pagevfs.core.VfsTesting.readString;
import static io.pagevfs.core.VfsTesting.string;
import static io.pagevfs.core.VfsTesting.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Descriptors (FdTable) and open file descriptions (OpenFile) through the system calls. */
class FileDescriptorTest {
    private Vfs vfs;
    private Process p;

    @BeforeEach
    void setUp() throws Exception {
        vfs = VfsTesting.newVfs(VfsConfig.builder().pageSize(512));
        p = vfs.newProcess(Credentials.root());
        writeFile(p, "/f", "0123456789");
    }

    @AfterEach
    void tearDown() {
        vfs.checkInvariants();
        vfs.close();
    }

    private String read(Process q, int fd, int n) throws VfsException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        int got = q.read(fd, buf);
        return got <= 0 ? "" : new String(buf.array(), 0, got);
    }

    private int write(Process q, int fd, String s) throws VfsException {
        return q.write(fd, ByteBuffer.wrap(bytes(s)));
    }

    private long offset(Process q, int fd) throws VfsException {
        return q.lseek(fd, 0, SEEK_CUR);
    }

    private long usedBlocks() throws VfsException {
        return p.statfs("/").usedBlocks();
    }

    @Test
    void open_returnsTheLowestFreeDescriptor() throws Exception {
        int a = p.open("/f", O_RDONLY);
        int b = p.open("/f", O_RDONLY);
        int c = p.open("/f", O_RDONLY);
        assertArrayEquals(new int[] {0, 1, 2}, new int[] {a, b, c});
        p.close(b);
        assertEquals(1, p.open("/f", O_RDONLY));
        assertEquals(3, p.dup(a));
        assertArrayEquals(new int[] {0, 1, 2, 3}, p.openDescriptors());
    }

    @Test
    void separateOpens_haveSeparateOffsets() throws Exception {
        int a = p.open("/f", O_RDONLY);
        int b = p.open("/f", O_RDONLY);
        assertEquals("012", read(p, a, 3));
        assertEquals("01", read(p, b, 2));
        assertEquals(3, offset(p, a));
        assertEquals(2, offset(p, b));
    }

    @Test
    void dup_sharesTheOffsetAndFlags() throws Exception {
        int a = p.open("/f", O_RDWR);
        int b = p.dup(a);
        assertEquals("0123", read(p, a, 4));
        assertEquals("45", read(p, b, 2), "b continues where a stopped");
        assertEquals(6, offset(p, a));
        p.setFlags(b, O_APPEND);
        assertEquals(O_RDWR | O_APPEND, p.getFlags(a), "status flags live in the description");
        p.close(a);
        assertEquals("6789", read(p, b, 10), "closing one leaves the other open");
    }

    @Test
    void dup2_sharesTheOffset_andReplacesTheTarget() throws Exception {
        writeFile(p, "/g", "abc");
        int a = p.open("/f", O_RDONLY);
        int g = p.open("/g", O_RDONLY);
        assertEquals(g, p.dup2(a, g));
        assertEquals("01", read(p, a, 2));
        assertEquals("23", read(p, g, 2), "g now names a's description");
        assertEquals(a, p.dup2(a, a), "dup2 onto itself is a no-op");
        assertEquals("45", read(p, a, 2));
        assertEquals(40, p.dup2(a, 40));
        assertEquals("67", read(p, 40, 2));
        assertArrayEquals(new int[] {a, g, 40}, p.openDescriptors());
    }

    @Test
    void dupAndDup2_clearCloseOnExec() throws Exception {
        int a = p.open("/f", O_RDONLY | O_CLOEXEC);
        assertTrue(p.isCloseOnExec(a));
        assertFalse(p.isCloseOnExec(p.dup(a)));
        int b = p.open("/f", O_RDONLY | O_CLOEXEC);
        p.dup2(a, b);
        assertFalse(p.isCloseOnExec(b));
        p.setCloseOnExec(b, true);
        assertTrue(p.isCloseOnExec(b));
        assertEquals(O_RDONLY, p.getFlags(a), "O_CLOEXEC is not a status flag");
    }

    @Test
    void fork_sharesDescriptionsButNotTheTable() throws Exception {
        int fd = p.open("/f", O_RDWR);
        assertEquals("01", read(p, fd, 2));
        Process child = p.fork();
        assertEquals("23", read(child, fd, 2));
        assertEquals(4, offset(p, fd), "the parent sees the child's reads move the offset");
        child.close(fd);
        assertEquals("45", read(p, fd, 2));
        int other = child.open("/f", O_RDONLY);
        assertEquals(fd, other, "the child's table is its own");
        child.exit();
        assertFalse(child.isAlive());
        assertEquals("67", read(p, fd, 2));
        assertErrno(Errno.ESRCH, () -> child.open("/f", O_RDONLY));
    }

    @Test
    void append_writesAtTheEnd_whateverTheOffset() throws Exception {
        int w = p.open("/f", O_WRONLY | O_APPEND);
        int other = p.open("/f", O_WRONLY);
        write(p, other, "AB");
        assertEquals(2, offset(p, other));
        assertEquals(0, offset(p, w));
        write(p, w, "xy");
        assertEquals(12, offset(p, w), "the offset moves to the new end");
        p.lseek(w, 0, SEEK_SET);
        write(p, w, "z");
        assertEquals("AB23456789xyz", readString(p, "/f"));
        assertEquals(1, p.pwrite(w, ByteBuffer.wrap(bytes("!")), 0), "pwrite appends too");
        assertEquals("AB23456789xyz!", readString(p, "/f"));
        assertEquals(13, offset(p, w), "pwrite leaves the offset alone");
    }

    @Test
    void setFlags_changesOnlyTheSettableStatusFlags() throws Exception {
        int fd = p.open("/f", O_RDONLY);
        p.setFlags(fd, O_APPEND | O_NONBLOCK | O_RDWR | O_CREAT | O_TRUNC | O_EXCL);
        assertEquals(O_RDONLY | O_APPEND | O_NONBLOCK, p.getFlags(fd));
        p.setFlags(fd, 0);
        assertEquals(O_RDONLY, p.getFlags(fd));
        assertEquals("0123456789", readString(p, "/f"), "O_TRUNC via F_SETFL truncates nothing");
    }

    @Test
    void getFlags_reportsAccessModeAndStatusFlagsOnly() throws Exception {
        int fd = p.open("/g", O_CREAT | O_EXCL | O_TRUNC | O_WRONLY | O_APPEND | O_CLOEXEC, 0600);
        assertEquals(O_WRONLY | O_APPEND, p.getFlags(fd));
    }

    @Test
    void lseek_setCurEnd() throws Exception {
        int fd = p.open("/f", O_RDWR);
        assertEquals(4, p.lseek(fd, 4, SEEK_SET));
        assertEquals(6, p.lseek(fd, 2, SEEK_CUR));
        assertEquals(3, p.lseek(fd, -3, SEEK_CUR));
        assertEquals(10, p.lseek(fd, 0, SEEK_END));
        assertEquals(7, p.lseek(fd, -3, SEEK_END));
        assertEquals("789", read(p, fd, 10));
        assertEquals(1000, p.lseek(fd, 1000, SEEK_SET), "beyond the end is fine");
        assertEquals("", read(p, fd, 10), "reading there is end of file");
        assertEquals(10, p.fstat(fd).size(), "seeking does not grow the file");
        write(p, fd, "!");
        assertEquals(1001, p.fstat(fd).size());
        ByteBuffer hole = ByteBuffer.allocate(990);
        assertEquals(990, p.pread(fd, hole, 10));
        assertArrayEquals(new byte[990], hole.array(), "the gap reads as zeros");
    }

    @Test
    void lseek_failures_leaveTheOffset() throws Exception {
        int fd = p.open("/f", O_RDONLY);
        p.lseek(fd, 5, SEEK_SET);
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, -1, SEEK_SET));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, -6, SEEK_CUR));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, -11, SEEK_END));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, 0, 5));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, 0, -1));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, Long.MAX_VALUE, SEEK_CUR));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, Long.MAX_VALUE, SEEK_END));
        assertEquals(5, offset(p, fd));
        assertEquals(Long.MAX_VALUE, p.lseek(fd, Long.MAX_VALUE, SEEK_SET));
        assertEquals(
                Long.MAX_VALUE - 10, p.lseek(fd, Long.MIN_VALUE + Long.MAX_VALUE - 9, SEEK_CUR));
    }

    /** PageVFS treats the whole file as data (docs/DIFFERENCES.md), as Linux's generic lseek. */
    @Test
    void lseek_dataAndHole_treatTheWholeFileAsData() throws Exception {
        int fd = p.open("/f", O_RDWR);
        p.ftruncate(fd, 100_000);
        assertEquals(3, p.lseek(fd, 3, SEEK_DATA));
        assertEquals(3, offset(p, fd));
        assertEquals(100_000, p.lseek(fd, 3, SEEK_HOLE), "the only hole is at the end");
        assertEquals(99_999, p.lseek(fd, 99_999, SEEK_DATA));
        assertFailsUnchanged(vfs, Errno.ENXIO, () -> p.lseek(fd, 100_000, SEEK_DATA));
        assertFailsUnchanged(vfs, Errno.ENXIO, () -> p.lseek(fd, 100_000, SEEK_HOLE));
        assertFailsUnchanged(vfs, Errno.ENXIO, () -> p.lseek(fd, -1, SEEK_DATA));
        assertFailsUnchanged(vfs, Errno.ENXIO, () -> p.lseek(fd, -1, SEEK_HOLE));
        int empty = p.open("/empty", O_CREAT | O_RDWR, 0644);
        assertFailsUnchanged(vfs, Errno.ENXIO, () -> p.lseek(empty, 0, SEEK_DATA));
    }

    @Test
    void lseek_onADirectory_onlySetAndCur() throws Exception {
        p.mkdir("/d", 0755);
        int fd = p.open("/d", O_RDONLY);
        assertEquals(5, p.lseek(fd, 5, SEEK_SET));
        assertEquals(8, p.lseek(fd, 3, SEEK_CUR));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, 0, SEEK_END));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, 0, SEEK_DATA));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, 0, SEEK_HOLE));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> p.lseek(fd, -9, SEEK_CUR));
        assertEquals(8, offset(p, fd));
    }

    @Test
    void close_releasesTheDescriptor() throws Exception {
        int fd = p.open("/f", O_RDONLY);
        p.close(fd);
        assertErrno(Errno.EBADF, () -> p.read(fd, ByteBuffer.allocate(1)));
        assertFailsUnchanged(vfs, Errno.EBADF, () -> p.close(fd));
        assertArrayEquals(new int[0], p.openDescriptors());
    }

    @Test
    void unlinkedButOpenFile_keepsItsContent_untilTheLastClose() throws Exception {
        byte[] data = new byte[5000];
        Arrays.fill(data, (byte) 7);
        writeFile(p, "/big", data);
        long base = usedBlocks() - 10; // 5000 bytes in 512-byte pages
        int fd = p.open("/big", O_RDWR);
        int dup = p.dup(fd);
        Process child = p.fork();
        p.unlink("/big");
        assertErrno(Errno.ENOENT, () -> p.stat("/big"));
        assertEquals(0, p.fstat(fd).nlink());
        assertEquals(base + 10, usedBlocks(), "pages stay while the file is open");
        assertArrayEquals(data, VfsTesting.readAll(p, fd));
        p.lseek(fd, 0, SEEK_END);
        write(p, fd, "more");
        assertEquals(5004, p.fstat(dup).size());
        p.close(fd);
        p.close(dup);
        assertEquals(base + 10, usedBlocks(), "the child still holds it");
        assertArrayEquals(
                Arrays.copyOf(data, 5000), Arrays.copyOf(VfsTesting.readAll(child, fd), 5000));
        child.exit();
        assertEquals(base, usedBlocks(), "the last close frees the pages");
        vfs.checkInvariants();
    }

    @Test
    void exit_closesEveryDescriptor() throws Exception {
        p.mkdir("/mnt", 0755);
        p.mount(VolumeSpec.of("v", 1 << 20), "/mnt", Set.of());
        Process q = p.fork();
        q.open("/mnt", O_RDONLY);
        writeFile(q, "/mnt/x", "x");
        q.open("/mnt/x", O_RDWR);
        assertErrno(Errno.EBUSY, () -> p.umount("/mnt"));
        q.exit();
        q.exit();
        p.umount("/mnt");
    }

    @Test
    void maxOpenFiles_isEMFILE() throws Exception {
        try (Vfs small = VfsTesting.newVfs(VfsConfig.builder().maxOpenFiles(3))) {
            Process q = small.newProcess(Credentials.root());
            writeFile(q, "/f", "x");
            int a = q.open("/f", O_RDONLY);
            q.open("/f", O_RDONLY);
            q.open("/f", O_RDONLY);
            assertFailsUnchanged(small, Errno.EMFILE, () -> q.open("/f", O_RDONLY));
            assertFailsUnchanged(small, Errno.EMFILE, () -> q.open("/new", O_CREAT | O_RDWR, 0644));
            assertFailsUnchanged(small, Errno.EMFILE, () -> q.dup(a));
            assertFailsUnchanged(small, Errno.EBADF, () -> q.dup2(a, 3));
            assertEquals(2, q.dup2(a, 2));
            q.close(a);
            assertEquals(0, q.dup(2));
        }
    }

    @Test
    void readdir_listsEntriesWithoutDots_andNeedsADirectory() throws Exception {
        p.mkdir("/d", 0755);
        writeFile(p, "/d/x", "");
        p.symlink("x", "/d/l");
        p.mkdir("/d/sub", 0755);
        int fd = p.open("/d", O_RDONLY);
        assertEquals(
                Set.of("x", "l", "sub"),
                Set.copyOf(p.readdir(fd).stream().map(DirEntry::name).toList()));
        assertEquals(
                FileType.SYMLINK,
                p.readdir(fd).stream().filter(e -> e.name().equals("l")).findFirst().get().type());
        int ffd = p.open("/f", O_RDONLY);
        assertFailsUnchanged(vfs, Errno.ENOTDIR, () -> p.readdir(ffd));
    }

    @Test
    void read_advancesTheOffset_preadDoesNot() throws Exception {
        int fd = p.open("/f", O_RDONLY);
        ByteBuffer buf = ByteBuffer.allocate(4);
        assertEquals(4, p.pread(fd, buf, 6));
        assertEquals("6789", string(buf.array()));
        assertEquals(0, offset(p, fd));
        assertEquals(0, p.pread(fd, ByteBuffer.allocate(4), 10), "at the end");
        assertEquals(0, p.pread(fd, ByteBuffer.allocate(0), 3), "nothing asked");
        assertEquals("0123456789", read(p, fd, 100));
        assertEquals(10, offset(p, fd));
    }
}
