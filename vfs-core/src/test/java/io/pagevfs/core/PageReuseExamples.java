package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.O_CREAT;
import static io.pagevfs.core.Fcntl.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages freed by a deleted file are reused by later files (PagePool's cache): a reused page must
 * read exactly as a new one, zeros wherever the new file has not written.
 */
class PageReuseExamples {
    private static final int PAGE = 512;

    /** Fills the cache with pages full of 0x5A by writing and deleting a few files. */
    private static void leaveDirtyPages(Process p, int pages) throws VfsException {
        byte[] dirt = new byte[PAGE * pages];
        Arrays.fill(dirt, (byte) 0x5A);
        for (int i = 0; i < 3; i++) {
            int fd = p.open("/dirty", O_CREAT | O_RDWR, 0644);
            p.pwrite(fd, ByteBuffer.wrap(dirt), 0);
            p.close(fd);
            p.unlink("/dirty");
        }
    }

    private static byte[] readAll(Process p, int fd, int size) throws VfsException {
        ByteBuffer buf = ByteBuffer.allocate(size);
        while (buf.hasRemaining() && p.pread(fd, buf, buf.position()) > 0) {}
        return buf.array();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, PAGE - 1})
    void partialWriteIntoAReusedPage_readsZerosAround(int offset) throws Exception {
        try (Vfs vfs = Vfs.create(VfsConfig.builder().pageSize(PAGE).build())) {
            Process p = vfs.newProcess(Credentials.root());
            leaveDirtyPages(p, 4);
            int fd = p.open("/f", O_CREAT | O_RDWR, 0644);
            p.pwrite(fd, ByteBuffer.wrap(new byte[] {7}), offset);
            p.ftruncate(fd, 3L * PAGE);
            byte[] expected = new byte[3 * PAGE];
            expected[offset] = 7;
            assertArrayEquals(expected, readAll(p, fd, 3 * PAGE));
            vfs.checkInvariants();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {PAGE, 2 * PAGE + 1, 3 * PAGE - 1})
    void writeSpanningReusedPages_keepsTheTailOfTheLastPageZero(int length) throws Exception {
        try (Vfs vfs = Vfs.create(VfsConfig.builder().pageSize(PAGE).build())) {
            Process p = vfs.newProcess(Credentials.root());
            leaveDirtyPages(p, 4);
            int fd = p.open("/f", O_CREAT | O_RDWR, 0644);
            byte[] data = new byte[length];
            Arrays.fill(data, (byte) 1);
            assertEquals(length, p.pwrite(fd, ByteBuffer.wrap(data), 0));
            p.ftruncate(fd, 3L * PAGE);
            byte[] expected = new byte[3 * PAGE];
            Arrays.fill(expected, 0, length, (byte) 1);
            assertArrayEquals(expected, readAll(p, fd, 3 * PAGE));
            assertEquals((length + PAGE - 1) / PAGE, pagesOf(p, fd));
            vfs.checkInvariants();
        }
    }

    private static long pagesOf(Process p, int fd) throws VfsException {
        return p.fstat(fd).blocks() * 512 / PAGE;
    }
}
