package io.pagevfs.nio;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.pagevfs.core.Credentials;
import io.pagevfs.core.FsStat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Memory mappings stay coherent with channel I/O through random interleavings of everything that
 * changes a mapped file.
 *
 * <p>One file of a filesystem with 512 B, 4 KiB or 64 KiB pages is used through two channels: one
 * of the filesystem's own process and one of a second process ({@link PageVfsFileSystem#newView}),
 * so cross-process coherence is part of every run. The operations, each on either channel: absolute
 * writes and relative writes (position, then write), both also past the end of the file; puts into
 * a live mapping (single bytes, longs, bulk arrays); truncation to a smaller size
 * (FileChannel.truncate) and to a bigger one (the kernel's truncate(2)); new mappings of random
 * mode (READ_ONLY, READ_WRITE, PRIVATE), unaligned position and length, also beyond the end (which
 * extends the file, as the JDK does); dropping a mapping, sometimes followed by {@code System.gc()}
 * so that the next operation reaps it and the host file may shrink; and closing a channel (or
 * ending the second process) and opening it again while its mappings live on.
 *
 * <p>A model holds the file's bytes: writes change it, puts through a READ_WRITE mapping change it
 * below the end of the file (a put beyond the end is not part of the file, and the file reads zeros
 * there when it grows back, docs/DIFFERENCES.md), truncation cuts it, growth adds zeros. After
 * every operation:
 *
 * <ul>
 *   <li>both channels report the model's size, and a channel read of the whole file is the model;
 *   <li>every live READ_WRITE and READ_ONLY mapping equals the model over the part of its range
 *       below the end of the file; the part beyond the end is read too (it must not fault), its
 *       value is unspecified;
 *   <li>every live PRIVATE mapping still holds every byte it put (copy-on-write), and on the 4 KiB
 *       host pages it never wrote it shows the file as it is now (Linux shares those pages with the
 *       page cache; the bytes it did not write on pages it did write are a snapshot and are not
 *       compared);
 *   <li>puts into a READ_ONLY mapping throw ReadOnlyBufferException;
 *   <li>{@code fs.kernel().checkInvariants()} holds (among others the truncate guard: the host file
 *       is never shorter than a live mapping, and its charge is exact).
 * </ul>
 *
 * At the end every mapping is dropped and collected, and after the next truncate(2) reaps them the
 * volume holds no pages beyond the file's size.
 */
class MappingCoherenceProperties {
    /** What one step does; the int parameters are interpreted against the current state. */
    enum Kind {
        WRITE_ABS,
        WRITE_REL,
        PUT,
        TRUNCATE,
        GROW,
        MAP,
        DROP,
        REOPEN
    }

    record Op(Kind kind, boolean viewChannel, int a, int b, int c, int seed) {
        @Override
        public String toString() {
            return kind + (viewChannel ? "@view" : "") + "(" + a + "," + b + "," + c + ")";
        }
    }

    @Provide
    Arbitrary<Integer> pageSizes() {
        return Arbitraries.of(512, 4096, 65536);
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Kind> kinds =
                Arbitraries.frequency(
                        Tuple.of(3, Kind.WRITE_ABS),
                        Tuple.of(2, Kind.WRITE_REL),
                        Tuple.of(5, Kind.PUT),
                        Tuple.of(3, Kind.TRUNCATE),
                        Tuple.of(1, Kind.GROW),
                        Tuple.of(4, Kind.MAP),
                        Tuple.of(2, Kind.DROP),
                        Tuple.of(1, Kind.REOPEN));
        Arbitrary<Integer> param = Arbitraries.integers().between(0, 1 << 20);
        return Combinators.combine(
                        kinds,
                        Arbitraries.of(false, true),
                        param,
                        param,
                        param,
                        Arbitraries.integers())
                .as(Op::new);
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    void mappingsAgreeWithChannelsThroughAnyInterleaving(
            @ForAll("pageSizes") int pageSize,
            @ForAll @Size(min = 8, max = 48) List<@From("ops") Op> ops)
            throws Exception {
        try (PageVfsFileSystem fs =
                PageVfs.newFileSystem(PageVfsConfig.builder().pageSize(pageSize).build())) {
            Run run = new Run(fs, pageSize);
            run.run(ops);
            Statistics.label("page size").collect(pageSize);
            Statistics.label("a shared put beyond EOF, later grown over")
                    .collect(run.grownOverStalePut);
            Statistics.label("a private put").collect(run.privatePut);
            Statistics.label("a mapping reaped after gc").collect(run.gcDrop);
            Statistics.label("a truncate below a live mapping").collect(run.truncateBelowMapping);
        }
    }

    /** A live mapping and what the model knows about it. */
    static final class Live {
        final MappedByteBuffer buffer;
        final MapMode mode;
        final long pos;
        final int len;

        /** PRIVATE only: the bytes it put, by index, and the host pages it made private. */
        final TreeMap<Integer, Byte> written = new TreeMap<>();

        final BitSet privatePages = new BitSet();

        Live(MappedByteBuffer buffer, MapMode mode, long pos, int len) {
            this.buffer = buffer;
            this.mode = mode;
            this.pos = pos;
            this.len = len;
        }

        @Override
        public String toString() {
            return mode + "[" + pos + "+" + len + "]";
        }
    }

    /** One run of a script against one filesystem. */
    static final class Run {
        private static final int HOST_PAGE = 4096;

        final PageVfsFileSystem fs;
        PageVfsFileSystem view;
        final Path path;
        Path viewPath;
        final int pageSize;

        /** Lengths stay within this, so files stay a few pages long. */
        final int span;

        /** No operation makes the file longer than this. */
        final int maxSize;

        FileChannel own;
        FileChannel other;
        byte[] model = new byte[0];
        int size;
        final List<Live> live = new ArrayList<>();
        final List<String> done = new ArrayList<>();

        // what the run exercised, for the statistics
        boolean stalePut;
        boolean grownOverStalePut;
        boolean privatePut;
        boolean gcDrop;
        boolean truncateBelowMapping;

        Run(PageVfsFileSystem fs, int pageSize) throws IOException {
            this.fs = fs;
            this.pageSize = pageSize;
            this.span = 2 * pageSize + 3 * HOST_PAGE + 100;
            this.maxSize = 3 * span;
            this.path = fs.getPath("/f.bin");
            this.view = fs.newView(Credentials.of(1000, 1000));
            this.viewPath = view.getPath("/f.bin");
            this.own = FileChannel.open(path, CREATE, READ, WRITE);
            this.other = FileChannel.open(viewPath, READ, WRITE);
        }

        void run(List<Op> ops) throws Exception {
            try {
                for (Op op : ops) {
                    done.add(apply(op));
                    verify();
                }
                dropAllAndReap();
            } catch (InternalError e) {
                // on JDK 17 an unsafe-access fault surfaces late, not in the access that faulted
                throw new AssertionError(
                        "after " + done + ": a mapped page fault (the truncate guard failed): " + e,
                        e);
            } catch (AssertionError | Exception e) {
                throw new AssertionError("after " + done + ": " + e, e);
            } finally {
                own.close();
                other.close();
                view.close();
            }
        }

        private FileChannel channel(Op op) {
            return op.viewChannel ? other : own;
        }

        private String apply(Op op) throws IOException {
            FileChannel ch = channel(op);
            switch (op.kind) {
                case WRITE_ABS, WRITE_REL -> {
                    long pos = position(op.a, op.c);
                    int len = 1 + op.b % Math.max(1, pageSize + 300);
                    byte[] data = bytes(op.seed, len);
                    ByteBuffer src = ByteBuffer.wrap(data);
                    if (op.kind == Kind.WRITE_ABS) {
                        while (src.hasRemaining()) {
                            ch.write(src, pos + src.position());
                        }
                    } else {
                        ch.position(pos);
                        while (src.hasRemaining()) {
                            ch.write(src);
                        }
                        assertEquals(pos + len, ch.position(), "position after a relative write");
                    }
                    modelWrite(pos, data);
                    return op.kind + "@" + pos + "+" + len;
                }
                case PUT -> {
                    if (live.isEmpty()) {
                        return apply(new Op(Kind.MAP, op.viewChannel, op.a, op.b, op.c, op.seed));
                    }
                    Live m = live.get(op.a % live.size());
                    if (m.len == 0) {
                        return "PUT(empty)";
                    }
                    int beyond = (int) Math.max(0, Math.min(m.len, size - m.pos));
                    int at =
                            op.c % 3 == 0 && beyond < m.len
                                    ? beyond + op.b % (m.len - beyond) // past the end of file
                                    : op.b % m.len;
                    int len = 1 + op.c % Math.min(m.len - at, 3 * HOST_PAGE);
                    byte[] data = bytes(op.seed, len);
                    int how = Math.floorMod(op.seed, 3);
                    if (m.mode == MapMode.READ_ONLY) {
                        assertThrows(
                                ReadOnlyBufferException.class, () -> put(m.buffer, at, data, how));
                        return "PUT(read-only " + m + ")";
                    }
                    put(m.buffer, at, data, how);
                    privatePut |= m.mode == MapMode.PRIVATE;
                    for (int i = 0; i < len; i++) {
                        long fileOff = m.pos + at + i;
                        if (m.mode == MapMode.PRIVATE) {
                            m.written.put(at + i, data[i]);
                            m.privatePages.set((int) (fileOff / HOST_PAGE));
                        } else if (fileOff < size) {
                            model[(int) fileOff] = data[i];
                        } else {
                            stalePut = true;
                        }
                    }
                    return "PUT "
                            + m
                            + "@"
                            + at
                            + "+"
                            + len
                            + (how == 0 ? "" : how == 1 ? " long" : " bulk");
                }
                case TRUNCATE -> {
                    int newSize = size == 0 ? 0 : op.a % (size + 1);
                    ch.truncate(newSize);
                    modelResize(newSize);
                    return "TRUNCATE " + newSize;
                }
                case GROW -> {
                    int newSize = Math.min(maxSize, size + 1 + op.a % span);
                    if (newSize <= size) {
                        return "GROW(at the maximum)";
                    }
                    try {
                        (op.viewChannel ? view : fs).process().truncate("/f.bin", newSize);
                    } catch (io.pagevfs.core.VfsException e) {
                        throw new IOException(e);
                    }
                    modelResize(newSize);
                    return "GROW " + newSize;
                }
                case MAP -> {
                    MapMode mode =
                            List.of(MapMode.READ_ONLY, MapMode.READ_WRITE, MapMode.PRIVATE)
                                    .get(op.c % 3);
                    long pos = position(op.a, op.c / 3);
                    int len = op.b % 16 == 0 ? 0 : 1 + op.b % span;
                    MappedByteBuffer b = ch.map(mode, pos, len);
                    assertEquals(len, b.capacity(), "capacity of the mapping");
                    if (pos + len > size) {
                        modelResize((int) (pos + len));
                    }
                    live.add(new Live(b, mode, pos, len));
                    return "MAP " + live.get(live.size() - 1);
                }
                case DROP -> {
                    if (live.isEmpty()) {
                        return "DROP(none)";
                    }
                    Live m = live.remove(op.a % live.size());
                    boolean gc = op.b % 2 == 0;
                    if (gc) {
                        System.gc();
                        gcDrop = true;
                    }
                    return "DROP " + m + (gc ? " gc" : "");
                }
                case REOPEN -> {
                    ch.close();
                    if (!op.viewChannel) {
                        own = FileChannel.open(path, READ, WRITE);
                        return "REOPEN";
                    }
                    boolean exit = op.a % 2 == 0;
                    if (exit) {
                        // the other process exits; its mappings live on
                        view.close();
                        view = fs.newView(Credentials.of(1000, 1000));
                        viewPath = view.getPath("/f.bin");
                    }
                    other = FileChannel.open(viewPath, READ, WRITE);
                    return exit ? "REOPEN@new view" : "REOPEN@view";
                }
                default -> throw new AssertionError(op);
            }
        }

        /**
         * A position: a page boundary, the end of the file, anywhere up to a page beyond it, or
         * somewhere in the page beyond it.
         */
        private long position(int a, int selector) {
            long pos =
                    switch (selector % 4) {
                        case 0 -> (long) (a % (size / pageSize + 2)) * pageSize;
                        case 1 -> size;
                        case 2 -> a % (size + pageSize + 1);
                        default -> size + 1 + a % pageSize; // leaves a gap
                    };
            return Math.min(pos, maxSize - span); // so that pos + any length <= maxSize
        }

        private static byte[] bytes(int seed, int len) {
            byte[] b = new byte[len];
            new Random(seed).nextBytes(b);
            return b;
        }

        private static void put(ByteBuffer b, int at, byte[] data, int how) {
            switch (how) {
                case 0 -> {
                    for (int i = 0; i < data.length; i++) {
                        b.put(at + i, data[i]);
                    }
                }
                case 1 -> {
                    int i = 0;
                    for (; i + 8 <= data.length; i += 8) {
                        b.putLong(at + i, ByteBuffer.wrap(data, i, 8).getLong());
                    }
                    for (; i < data.length; i++) {
                        b.put(at + i, data[i]);
                    }
                }
                default -> b.put(at, data);
            }
        }

        private void modelWrite(long pos, byte[] data) {
            int end = (int) pos + data.length;
            if (end > size) {
                modelResize(end);
            }
            System.arraycopy(data, 0, model, (int) pos, data.length);
        }

        /** The new size; bytes beyond it are zero, so growth reads zeros. */
        private void modelResize(int newSize) {
            grownOverStalePut |= stalePut && newSize > size;
            for (Live m : live) {
                truncateBelowMapping |= newSize < size && m.pos + m.len > newSize;
            }
            if (newSize > model.length) {
                model = Arrays.copyOf(model, Math.max(newSize, model.length * 2));
            }
            if (newSize < size) {
                Arrays.fill(model, newSize, size, (byte) 0);
            }
            size = newSize;
        }

        private void verify() throws IOException {
            assertEquals(size, own.size(), "size through the filesystem's channel");
            assertEquals(size, other.size(), "size through the other process's channel");
            byte[] file = new byte[size];
            ByteBuffer dst = ByteBuffer.wrap(file);
            while (dst.hasRemaining()) {
                if (other.read(dst, dst.position()) < 0) {
                    fail("early end of file at " + dst.position() + " of " + size);
                }
            }
            int bad = Arrays.mismatch(file, 0, size, model, 0, size);
            if (bad >= 0) {
                fail("channel read differs from the model at " + bad);
            }
            for (Live m : live) {
                byte[] seen = new byte[m.len];
                try {
                    m.buffer.get(0, seen); // also the bytes beyond the end: must not fault
                } catch (InternalError e) {
                    fail("reading " + m + " faulted: " + e);
                }
                int below = (int) Math.max(0, Math.min(m.len, size - m.pos));
                if (m.mode != MapMode.PRIVATE) {
                    int diff =
                            Arrays.mismatch(
                                    seen, 0, below, model, (int) m.pos, (int) m.pos + below);
                    if (diff >= 0) {
                        fail(
                                m
                                        + " differs from the file at index "
                                        + diff
                                        + " (file offset "
                                        + (m.pos + diff)
                                        + ", size "
                                        + size
                                        + ")");
                    }
                } else {
                    m.written.forEach(
                            (i, v) -> {
                                if (seen[i] != v) {
                                    fail(m + " lost its own put at index " + i);
                                }
                            });
                    for (int i = 0; i < below; i++) {
                        long fileOff = m.pos + i;
                        if (!m.privatePages.get((int) (fileOff / HOST_PAGE))
                                && seen[i] != model[(int) fileOff]) {
                            fail(
                                    m
                                            + " does not show the file on a page it never wrote, index "
                                            + i
                                            + " (file offset "
                                            + fileOff
                                            + ")");
                        }
                    }
                }
            }
            fs.kernel().checkInvariants();
        }

        /**
         * Drops every mapping, waits until they are collected and reaped (by a truncate to the same
         * size), then checks the volume holds no pages beyond the file's size any more.
         */
        private void dropAllAndReap() throws Exception {
            live.clear();
            long want = (size + (long) pageSize - 1) / pageSize;
            long used = -1;
            for (int i = 0; i < 50 && (used < 0 || used > want); i++) {
                System.gc();
                Thread.sleep(i == 0 ? 0 : 10);
                fs.process().truncate("/f.bin", size);
                FsStat st = fs.process().statfs("/");
                used = st.usedBlocks();
            }
            // at most: a file grown by truncate(2) has a hole where no mapping needed pages
            if (used > want) {
                fail(
                        used
                                + " pages held once every mapping is gone, size "
                                + size
                                + " needs "
                                + want);
            }
            fs.kernel().checkInvariants();
        }
    }
}
