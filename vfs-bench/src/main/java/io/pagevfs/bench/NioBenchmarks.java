package io.pagevfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The java.nio.file workloads of issue 3, each run on PageVFS, Jimfs and the JDK provider on
 * /dev/shm in the same run, so figures can be reported as ratios. Throughput in operations per
 * second; the sequential workloads move one 8 MiB file per operation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NioBenchmarks {
    static final int FILE_SIZE = 8 << 20;
    static final int CHUNK = 64 << 10;
    static final int PAGE = 4 << 10;

    @State(Scope.Benchmark)
    public static class Fs {
        @Param({"PAGEVFS", "JIMFS", "JDK_SHM"})
        public NioTarget target;

        Path dir;
        Path big;
        Path walkRoot;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = target.open();
            big = dir.resolve("big.bin");
            byte[] data = new byte[FILE_SIZE];
            ThreadLocalRandom.current().nextBytes(data);
            Files.write(big, data);
            walkRoot = Files.createDirectory(dir.resolve("walk"));
            for (int d = 0; d < 100; d++) {
                Path sub = Files.createDirectory(walkRoot.resolve("d" + d));
                for (int f = 0; f < 99; f++) {
                    Files.createFile(sub.resolve("f" + f));
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            target.close();
        }
    }

    @State(Scope.Thread)
    public static class Buffers {
        final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        final ByteBuffer page = ByteBuffer.allocate(PAGE);
        final byte[] small = new byte[PAGE];
        Path own;
        int counter;

        @Setup(Level.Trial)
        public void setUp(Fs fs) throws IOException {
            own = fs.dir.resolve("own-" + Thread.currentThread().getId());
            Files.write(own, new byte[FILE_SIZE]);
        }
    }

    @Benchmark
    public long sequentialRead64k(Fs fs, Buffers b) throws IOException {
        long total = 0;
        try (SeekableByteChannel ch = Files.newByteChannel(fs.big, StandardOpenOption.READ)) {
            while (true) {
                b.chunk.clear();
                int n = ch.read(b.chunk);
                if (n < 0) {
                    return total;
                }
                total += n;
            }
        }
    }

    @Benchmark
    public long sequentialWrite64k(Fs fs, Buffers b) throws IOException {
        return writeWhole(b.own, b.chunk);
    }

    private static long writeWhole(Path p, ByteBuffer chunk) throws IOException {
        long total = 0;
        try (SeekableByteChannel ch =
                Files.newByteChannel(
                        p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (total < FILE_SIZE) {
                chunk.clear();
                total += ch.write(chunk);
            }
        }
        return total;
    }

    @State(Scope.Thread)
    public static class OpenBig {
        FileChannel ch;

        @Setup(Level.Trial)
        public void setUp(Fs fs) throws IOException {
            ch = FileChannel.open(fs.big, StandardOpenOption.READ);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            ch.close();
        }
    }

    @Benchmark
    public int randomPread4k(OpenBig o, Buffers b) throws IOException {
        b.page.clear();
        long pos = (long) ThreadLocalRandom.current().nextInt(FILE_SIZE / PAGE) * PAGE;
        return o.ch.read(b.page, pos);
    }

    @Benchmark
    @Threads(8)
    public int randomPread4kEightThreadsOneFile(OpenBig o, Buffers b) throws IOException {
        return randomPread4k(o, b);
    }

    @Benchmark
    @Threads(8)
    public long sequentialWriteEightThreadsOwnFiles(Fs fs, Buffers b) throws IOException {
        return writeWhole(b.own, b.chunk);
    }

    @Benchmark
    public void createWriteCloseDelete4k(Fs fs, Buffers b) throws IOException {
        Path p = fs.dir.resolve("cwcd-" + (b.counter++ & 1023));
        Files.write(p, b.small);
        Files.delete(p);
    }

    @Benchmark
    public int createListDelete(Fs fs, Buffers b) throws IOException {
        Path d = fs.dir.resolve("cld-" + Thread.currentThread().getId());
        Files.createDirectories(d);
        Path p = d.resolve("f" + (b.counter++ & 1023));
        Files.createFile(p);
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path ignored : s) {
                n++;
            }
        }
        Files.delete(p);
        return n;
    }

    @Benchmark
    public BasicFileAttributes readAttributesBasic(Fs fs) throws IOException {
        return Files.readAttributes(fs.big, BasicFileAttributes.class);
    }

    @Benchmark
    @OperationsPerInvocation(10_000)
    public void walk10000(Fs fs, Blackhole bh) throws IOException {
        try (Stream<Path> s = Files.walk(fs.walkRoot)) {
            s.forEach(bh::consume);
        }
    }
}
