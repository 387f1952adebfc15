package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Channel I/O on promoted files (served by HostPageStore's internal mapping window and by
 * pread/pwrite beyond it) against a byte-array model, and mappings made through a {@link
 * HostMapper} with a liveness test (what the provider's JDK 22+ Arena mappings use).
 */
class HostWindowExamples {
    private static final int MAX = 1 << 20;

    @Test
    void promotedFile_readsAndWritesLikeTheModel_acrossWindowGrowthAndTruncation()
            throws Exception {
        Random rnd = new Random(42);
        try (Vfs vfs = Vfs.create()) {
            Process p = vfs.newProcess(Credentials.root());
            int fd = p.open("/f", O_CREAT | O_RDWR, 0644);
            byte[] model = new byte[0];
            // a live mapping of the first page keeps the file promoted (and exercises the guard)
            p.pwrite(fd, ByteBuffer.wrap(new byte[] {1}), 0);
            model = new byte[] {1};
            FileMapping keep = p.mmap(fd, 0, 4096, Mman.PROT_READ, Mman.MAP_SHARED);
            for (int step = 0; step < 400; step++) {
                int op = rnd.nextInt(10);
                if (op < 4) { // write somewhere, sometimes past the end
                    int pos = rnd.nextInt(Math.min(MAX, model.length + 200_000));
                    int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 100 : 150_000);
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    assertEquals(len, p.pwrite(fd, ByteBuffer.wrap(data), pos));
                    if (pos + len > model.length) {
                        model = Arrays.copyOf(model, pos + len);
                    }
                    System.arraycopy(data, 0, model, pos, len);
                } else if (op < 8) { // read a range, heap or direct buffer
                    int pos = rnd.nextInt(model.length + 10);
                    int len = 1 + rnd.nextInt(200_000);
                    ByteBuffer dst =
                            rnd.nextBoolean()
                                    ? ByteBuffer.allocate(len)
                                    : ByteBuffer.allocateDirect(len);
                    int n = p.pread(fd, dst, pos);
                    int expected = Math.max(0, Math.min(len, model.length - pos));
                    assertEquals(expected, n, "read length at step " + step);
                    for (int i = 0; i < n; i++) {
                        if (dst.get(i) != model[pos + i]) {
                            fail("byte " + (pos + i) + " differs at step " + step);
                        }
                    }
                } else { // truncate, down or up
                    int size = rnd.nextInt(Math.min(MAX, model.length + 100_000) + 1);
                    p.ftruncate(fd, size);
                    model = Arrays.copyOf(model, size);
                }
                if (step % 50 == 0) {
                    vfs.checkInvariants();
                }
            }
            assertEquals(model.length, p.fstat(fd).size());
            assertNotNull(keep.buffer());
            vfs.checkInvariants();
        }
    }

    /** A stand-in for a closeable arena's scope. */
    static final class Token {
        volatile boolean open = true;
    }

    private static boolean isOpen(Object token) {
        return ((Token) token).open;
    }

    @Test
    void hostMapper_withALivenessTest_letsTheHostShrinkOnceTheMappingIsClosed() throws Exception {
        try (Vfs vfs = Vfs.create()) {
            Process p = vfs.newProcess(Credentials.root());
            int fd = p.open("/m", O_CREAT | O_RDWR, 0644);
            p.pwrite(fd, ByteBuffer.wrap(new byte[1 << 20]), 0);
            long freeBefore = p.statfs("/").freeBytes();
            Token token = new Token();
            MappedByteBuffer[] made = new MappedByteBuffer[1];
            HostMapper<Token> mapper =
                    new HostMapper<>() {
                        @Override
                        public Token map(
                                FileChannel host,
                                FileChannel.MapMode mode,
                                long offset,
                                long length) {
                            try {
                                made[0] = host.map(mode, offset, length);
                            } catch (java.io.IOException e) {
                                throw new AssertionError(e);
                            }
                            return token;
                        }

                        @Override
                        public Predicate<Object> accessible() {
                            return HostWindowExamples::isOpen;
                        }
                    };
            assertSame(token, p.mmap(fd, 0, 2 << 20, Mman.PROT_READ, Mman.MAP_SHARED, mapper));
            assertEquals(2 << 20, made[0].capacity());
            p.ftruncate(fd, 0);
            vfs.checkInvariants();
            assertTrue(
                    p.statfs("/").freeBytes() <= freeBefore - (1 << 20),
                    "the guard keeps the mapped range while the mapping is open");
            assertEquals(0, made[0].get((2 << 20) - 1));

            token.open = false; // "closes the arena": the guard lets go without a GC
            p.ftruncate(fd, 1);
            p.ftruncate(fd, 0);
            vfs.checkInvariants();
            assertEquals(freeBefore + (1 << 20), p.statfs("/").freeBytes());
            p.close(fd);
            // the next mmap reaps the closed mapping, releasing its open file description
            int other = p.open("/o", O_CREAT | O_RDWR, 0644);
            p.pwrite(other, ByteBuffer.wrap(new byte[1]), 0);
            p.mmap(other, 0, 1, Mman.PROT_READ, Mman.MAP_SHARED);
            vfs.checkInvariants();
        }
    }
}
