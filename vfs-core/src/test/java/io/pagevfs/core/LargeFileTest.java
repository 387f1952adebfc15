package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.O_APPEND;
import static io.pagevfs.core.Fcntl.O_CREAT;
import static io.pagevfs.core.Fcntl.O_RDWR;
import static io.pagevfs.core.Fcntl.O_WRONLY;
import static io.pagevfs.core.Fcntl.SEEK_CUR;
import static io.pagevfs.core.Fcntl.SEEK_END;
import static io.pagevfs.core.VfsTesting.assertFailsUnchanged;
import static io.pagevfs.core.VfsTesting.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Large and sparse files, and the per-volume memory limit. */
class LargeFileTest {
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;

    private static byte[] pread(Process p, int fd, long pos, int len) throws VfsException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        p.pread(fd, buf, pos);
        return Arrays.copyOf(buf.array(), buf.position());
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096, 65536})
    void pwrite_at3GiB_makesAFileOver2GiB_holdingOnePage(int pageSize) throws Exception {
        try (Vfs vfs = VfsTesting.newVfs(VfsConfig.builder().pageSize(pageSize))) {
            Process p = vfs.newProcess(Credentials.root());
            int fd = p.open("/big", O_CREAT | O_RDWR, 0644);
            long usedBefore = p.statfs("/").usedBlocks();
            assertEquals(5, p.pwrite(fd, ByteBuffer.wrap(bytes("hello")), 3 * GIB));
            Stat st = p.fstat(fd);
            assertEquals(3 * GIB + 5, st.size());
            assertEquals(pageSize / 512, st.blocks(), "one page of 512-byte blocks");
            assertEquals(pageSize, st.blksize());
            assertEquals(usedBefore + 1, p.statfs("/").usedBlocks());
            assertArrayEquals(bytes("hello"), pread(p, fd, 3 * GIB, 100));
            assertArrayEquals(new byte[64], pread(p, fd, 2 * GIB + 12345, 64), "the hole");
            assertArrayEquals(new byte[3], pread(p, fd, 3 * GIB - 3, 3));
            assertEquals(3 * GIB + 5, p.lseek(fd, 0, SEEK_END));
            vfs.checkInvariants();
        }
    }

    @Test
    void sparseFile_of1TiB_holdsNoMemory() throws Exception {
        try (Vfs vfs = VfsTesting.newVfs()) {
            Process p = vfs.newProcess(Credentials.root());
            int fd = p.open("/sparse", O_CREAT | O_RDWR, 0644);
            long used = p.statfs("/").usedBlocks();
            p.ftruncate(fd, TIB);
            Stat st = p.stat("/sparse");
            assertEquals(TIB, st.size());
            assertEquals(0, st.blocks());
            assertEquals(used, p.statfs("/").usedBlocks());
            assertArrayEquals(new byte[4096], pread(p, fd, TIB / 2, 4096));
            assertArrayEquals(new byte[1], pread(p, fd, TIB - 1, 10), "short read at the end");
            p.pwrite(fd, ByteBuffer.wrap(new byte[] {42}), TIB - 1);
            assertEquals(TIB, p.fstat(fd).size());
            assertEquals(8, p.fstat(fd).blocks());
            assertArrayEquals(new byte[] {42}, pread(p, fd, TIB - 1, 10));
            p.truncate("/sparse", TIB / 2);
            assertEquals(0, p.fstat(fd).blocks(), "the page beyond the new size is freed");
            assertEquals(used, p.statfs("/").usedBlocks());
            p.ftruncate(fd, TIB);
            assertArrayEquals(new byte[1], pread(p, fd, TIB - 1, 1), "regrowth reads zeros");
            vfs.checkInvariants();
        }
    }

    @Test
    void truncate_shrinkingInsideAPage_zeroesTheTailForLaterGrowth() throws Exception {
        try (Vfs vfs = VfsTesting.newVfs(VfsConfig.builder().pageSize(512))) {
            Process p = vfs.newProcess(Credentials.root());
            int fd = p.open("/f", O_CREAT | O_RDWR, 0644);
            byte[] ones = new byte[1500];
            Arrays.fill(ones, (byte) 1);
            p.write(fd, ByteBuffer.wrap(ones));
            assertEquals(3, p.fstat(fd).blocks() / 1);
            p.ftruncate(fd, 700);
            assertEquals(2, p.fstat(fd).blocks());
            p.ftruncate(fd, 1500);
            byte[] back = pread(p, fd, 0, 1500);
            for (int i = 0; i < 1500; i++) {
                assertEquals(i < 700 ? 1 : 0, back[i], "byte " + i);
            }
            vfs.checkInvariants();
        }
    }

    // ---- the memory limit
    // ------------------------------------------------------------------------

    /** A machine whose /small volume holds 4 pages of 4 KiB. */
    private static Vfs smallVolume() throws VfsException {
        Vfs vfs = VfsTesting.newVfs();
        Process root = vfs.newProcess(Credentials.root());
        root.mkdir("/small", 0777);
        root.mount(VolumeSpec.of("small", 4 * 4096), "/small", Set.of());
        return vfs;
    }

    @Test
    void write_beyondTheMemoryLimit_isENOSPC_leavingTheFileExactlyAsBefore() throws Exception {
        try (Vfs vfs = smallVolume()) {
            Process p = vfs.newProcess(Credentials.of(1000, 1000));
            int fd = p.open("/small/f", O_CREAT | O_RDWR, 0644);
            byte[] first = new byte[3 * 4096 - 10];
            Arrays.fill(first, (byte) 5);
            assertEquals(first.length, p.write(fd, ByteBuffer.wrap(first)));
            assertEquals(3, p.statfs("/small").usedBlocks());
            // Rewrites the last 10 bytes of page 2 and needs pages 3 and 4: one page short.
            ByteBuffer tooMuch = ByteBuffer.wrap(new byte[4096 + 20]);
            assertFailsUnchanged(vfs, Errno.ENOSPC, () -> p.write(fd, tooMuch));
            assertEquals(0, tooMuch.position(), "nothing consumed");
            assertFailsUnchanged(
                    vfs, Errno.ENOSPC, () -> p.pwrite(fd, ByteBuffer.wrap(new byte[4097]), 40960));
            assertFailsUnchanged(
                    vfs,
                    Errno.ENOSPC,
                    () -> p.pwrite(fd, ByteBuffer.wrap(new byte[2 * 4096]), 3 * 4096));
            p.setFlags(fd, O_APPEND);
            assertFailsUnchanged(
                    vfs, Errno.ENOSPC, () -> p.write(fd, ByteBuffer.wrap(new byte[4096 + 11])));
            // What fits still works: the rest of page 2 and all of page 3.
            assertEquals(4096 + 10, p.write(fd, ByteBuffer.wrap(new byte[4096 + 10])));
            assertEquals(4, p.statfs("/small").usedBlocks());
            assertEquals(0, p.statfs("/small").freeBlocks());
            assertFailsUnchanged(
                    vfs, Errno.ENOSPC, () -> p.write(fd, ByteBuffer.wrap(new byte[1])));
            p.setFlags(fd, 0);
            assertEquals(
                    3, p.pwrite(fd, ByteBuffer.wrap(bytes("abc")), 0), "held pages are writable");
            vfs.checkInvariants();
        }
    }

    @Test
    void memoryLimit_isPerVolume_andFreedSpaceIsReusable() throws Exception {
        try (Vfs vfs = smallVolume()) {
            Process p = vfs.newProcess(Credentials.root());
            int fd = p.open("/small/f", O_CREAT | O_WRONLY, 0644);
            p.write(fd, ByteBuffer.wrap(new byte[4 * 4096]));
            int other = p.open("/small/g", O_CREAT | O_WRONLY, 0644);
            assertFailsUnchanged(
                    vfs, Errno.ENOSPC, () -> p.write(other, ByteBuffer.wrap(new byte[1])));
            int rootFile = p.open("/elsewhere", O_CREAT | O_WRONLY, 0644);
            p.write(rootFile, ByteBuffer.wrap(new byte[5 * 4096]));
            p.ftruncate(fd, 4096);
            assertEquals(3, p.statfs("/small").freeBlocks());
            assertEquals(3 * 4096, p.write(other, ByteBuffer.wrap(new byte[3 * 4096])));
            p.unlink("/small/g");
            assertEquals(0, p.statfs("/small").freeBlocks(), "open after unlink: still held");
            p.close(other);
            assertEquals(3, p.statfs("/small").freeBlocks());
            vfs.checkInvariants();
        }
    }

    @Test
    void sparseGrowth_isFreeEvenOnAFullVolume() throws Exception {
        try (Vfs vfs = smallVolume()) {
            Process p = vfs.newProcess(Credentials.root());
            int fd = p.open("/small/f", O_CREAT | O_RDWR, 0644);
            p.write(fd, ByteBuffer.wrap(new byte[4 * 4096]));
            p.ftruncate(fd, TIB);
            p.lseek(fd, 10, SEEK_CUR);
            assertEquals(TIB, p.fstat(fd).size());
            assertEquals(32, p.fstat(fd).blocks());
            assertFailsUnchanged(
                    vfs, Errno.ENOSPC, () -> p.pwrite(fd, ByteBuffer.wrap(new byte[1]), TIB - 1));
        }
    }
}
