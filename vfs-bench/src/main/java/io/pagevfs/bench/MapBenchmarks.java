package io.pagevfs.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Memory mapping (issue 4): PageVFS against the JDK's own provider on a /dev/shm file, in the same
 * run, so the figures can be reported as ratios. Every benchmark takes a file size (1 MiB, 64 MiB).
 *
 * <ul>
 *   <li>{@code mappedGet64k}, {@code mappedPut64k}: one pass over a whole READ_WRITE mapping in 64
 *       KiB {@code get(int, byte[])} / {@code put(int, byte[])} chunks (time per pass).
 *   <li>{@code mapUnmap}: {@code map(READ_WRITE, 0, size)} of an already mapped (promoted) file,
 *       unmapped at once with {@code Unsafe.invokeCleaner} so mappings do not pile up until a GC
 *       (both sides pay the same munmap). {@code mapArenaConfined}: the JDK 22+ form with a
 *       confined arena closed right away (skipped below JDK 22).
 *   <li>{@code promote}: the first {@code map()} of a heap file on PageVFS, which copies it to a
 *       new host file; on JDK_SHM the reference is creating a /dev/shm file and writing the same
 *       bytes in 64 KiB chunks (what promotion has to do at least).
 *   <li>{@code channelRead64k}, {@code channelWrite64k}: one pass of positional channel I/O with a
 *       64 KiB heap buffer, on a PageVFS file that was never mapped (heap pages), one that was
 *       (promoted to host memory), and the JDK on /dev/shm.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MapBenchmarks {
    static final int CHUNK = 64 << 10;

    private static final MethodHandle INVOKE_CLEANER = invokeCleaner();

    /** The JDK 22+ API through method handles (this module is compiled for Java 17). */
    private static final MethodHandle OF_CONFINED;

    private static final MethodHandle MAP_ARENA;
    private static final MethodHandle CLOSE_ARENA;

    static {
        MethodHandle ofConfined = null;
        MethodHandle mapArena = null;
        MethodHandle close = null;
        try {
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            ofConfined = l.findStatic(arena, "ofConfined", MethodType.methodType(arena));
            mapArena =
                    l.findVirtual(
                            FileChannel.class,
                            "map",
                            MethodType.methodType(
                                    segment, MapMode.class, long.class, long.class, arena));
            close = l.findVirtual(arena, "close", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            // JDK 17: mapArenaConfined is not available
        }
        OF_CONFINED = ofConfined;
        MAP_ARENA = mapArena;
        CLOSE_ARENA = close;
    }

    private static MethodHandle invokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field f = unsafeClass.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            return MethodHandles.lookup()
                    .findVirtual(
                            unsafeClass,
                            "invokeCleaner",
                            MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void unmap(ByteBuffer b) {
        try {
            INVOKE_CLEANER.invokeExact(b);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] data = new byte[n];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
    }

    /** A file of {@code size} random bytes, open for reading and writing and mapped once. */
    @State(Scope.Benchmark)
    public static class Mapped {
        @Param({"PAGEVFS", "JDK_SHM"})
        public NioTarget target;

        @Param({"1048576", "67108864"})
        public int size;

        FileChannel ch;
        MappedByteBuffer map;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Path file = target.open().resolve("mapped.bin");
            Files.write(file, randomBytes(size));
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            map = ch.map(MapMode.READ_WRITE, 0, size);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            ch.close();
            map = null;
            target.close();
        }
    }

    @State(Scope.Thread)
    public static class Chunk {
        final byte[] bytes = randomBytes(CHUNK);
        final ByteBuffer heap = ByteBuffer.wrap(bytes);
    }

    @Benchmark
    public long mappedGet64k(Mapped s, Chunk c) {
        MappedByteBuffer m = s.map;
        long sum = 0;
        for (int off = 0; off < s.size; off += CHUNK) {
            m.get(off, c.bytes);
            sum += c.bytes[off & (CHUNK - 1)];
        }
        return sum;
    }

    @Benchmark
    public MappedByteBuffer mappedPut64k(Mapped s, Chunk c) {
        MappedByteBuffer m = s.map;
        for (int off = 0; off < s.size; off += CHUNK) {
            m.put(off, c.bytes);
        }
        return m;
    }

    @Benchmark
    public void mapUnmap(Mapped s) throws IOException {
        unmap(s.ch.map(MapMode.READ_WRITE, 0, s.size));
    }

    @Benchmark
    public Object mapArenaConfined(Mapped s) throws Throwable {
        if (MAP_ARENA == null) {
            throw new UnsupportedOperationException("FileChannel.map(..., Arena) needs JDK 22");
        }
        Object arena = OF_CONFINED.invoke();
        Object segment = MAP_ARENA.invoke(s.ch, MapMode.READ_WRITE, 0L, (long) s.size, arena);
        CLOSE_ARENA.invoke(arena);
        return segment;
    }

    /** A fresh, never-mapped file for every invocation of {@code promote}. */
    @State(Scope.Thread)
    public static class Fresh {
        @Param({"PAGEVFS", "JDK_SHM"})
        public NioTarget target;

        @Param({"1048576", "67108864"})
        public int size;

        Path dir;
        byte[] data;
        int next;
        Path file;
        FileChannel ch;
        MappedByteBuffer mapped;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = target.open();
            data = randomBytes(size);
        }

        @Setup(Level.Invocation)
        public void prepare() throws IOException {
            file = dir.resolve("fresh-" + next++);
            if (target == NioTarget.PAGEVFS) {
                Files.write(file, data);
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        }

        @TearDown(Level.Invocation)
        public void cleanUp() throws IOException {
            if (mapped != null) {
                unmap(mapped);
                mapped = null;
            }
            ch.close();
            Files.delete(file);
            // lets PageVFS reap the mapping and release the host file before the next one
            System.gc();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            target.close();
        }
    }

    @Benchmark
    public Object promote(Fresh f) throws IOException {
        if (f.target == NioTarget.PAGEVFS) {
            f.mapped = f.ch.map(MapMode.READ_WRITE, 0, f.size);
            return f.mapped;
        }
        f.ch =
                FileChannel.open(
                        f.file,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        ByteBuffer src = ByteBuffer.wrap(f.data);
        for (int off = 0; off < f.size; off += CHUNK) {
            src.limit(off + CHUNK).position(off);
            f.ch.write(src, off);
        }
        return f.ch;
    }

    /** Where the channel I/O benchmarks' file lives. */
    public enum Backing {
        /** A PageVFS file that was never mapped: heap pages. */
        PAGEVFS_HEAP,
        /** A PageVFS file that was mapped once: host shared memory. */
        PAGEVFS_PROMOTED,
        /** The JDK's provider on /dev/shm. */
        JDK_SHM
    }

    @State(Scope.Benchmark)
    public static class Io {
        @Param({"PAGEVFS_HEAP", "PAGEVFS_PROMOTED", "JDK_SHM"})
        public Backing backing;

        @Param({"1048576", "67108864"})
        public int size;

        NioTarget target;
        FileChannel ch;
        MappedByteBuffer keep;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            target = backing == Backing.JDK_SHM ? NioTarget.JDK_SHM : NioTarget.PAGEVFS;
            Path file = target.open().resolve("io.bin");
            Files.write(file, randomBytes(size));
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (backing == Backing.PAGEVFS_PROMOTED) {
                keep = ch.map(MapMode.READ_ONLY, 0, 1);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            ch.close();
            keep = null;
            target.close();
        }
    }

    @Benchmark
    public long channelRead64k(Io s, Chunk c) throws IOException {
        long total = 0;
        for (long pos = 0; pos < s.size; pos += CHUNK) {
            c.heap.clear();
            total += s.ch.read(c.heap, pos);
        }
        return total;
    }

    @Benchmark
    public long channelWrite64k(Io s, Chunk c) throws IOException {
        long total = 0;
        for (long pos = 0; pos < s.size; pos += CHUNK) {
            c.heap.clear();
            total += s.ch.write(c.heap, pos);
        }
        return total;
    }
}
