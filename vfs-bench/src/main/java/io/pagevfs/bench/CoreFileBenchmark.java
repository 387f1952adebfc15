package io.pagevfs.bench;

import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Process;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The small-file cycle: create a file (O_CREAT|O_WRONLY), write 4 KiB, close it and unlink it, on
 * one thread, in one directory. One operation is one whole cycle, so the score is files per second.
 *
 * <p>Every implementation cycles through the same {@value #NAMES} names, prepared in advance (as
 * strings for PageVFS, as parsed {@link Path}s for the java.nio peers), and writes the same heap
 * buffer. The directory is empty between operations.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CoreFileBenchmark {
    static final int NAMES = 1024;
    static final int SIZE = 4096;

    private static final Set<OpenOption> CREATE_WRITE =
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);

    /** A 4 KiB buffer of non-zero bytes and a cursor over the names. */
    @State(Scope.Thread)
    public abstract static class Cycle {
        final ByteBuffer data = ByteBuffer.allocate(SIZE);
        int next;

        Cycle() {
            for (int i = 0; i < SIZE; i++) {
                data.put(i, (byte) (i * 31 + 7));
            }
        }

        int nextIndex() {
            return next++ & (NAMES - 1);
        }
    }

    @State(Scope.Thread)
    public static class PageVfsState extends Cycle {
        Vfs vfs;
        Process proc;
        final String[] paths = new String[NAMES];

        @Setup(Level.Trial)
        public void setUp() throws VfsException {
            vfs = Vfs.create();
            proc = Peers.pageVfsUser(vfs, "/bench");
            for (int i = 0; i < NAMES; i++) {
                paths[i] = "/bench/file" + i;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            vfs.close();
        }
    }

    /** A java.nio filesystem with a directory {@code /bench}. */
    @State(Scope.Thread)
    public abstract static class NioState extends Cycle {
        FileSystem fs;
        final Path[] paths = new Path[NAMES];

        abstract FileSystem newFileSystem() throws IOException;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            fs = newFileSystem();
            Path dir = Files.createDirectory(fs.getPath("/bench"));
            for (int i = 0; i < NAMES; i++) {
                paths[i] = dir.resolve("file" + i);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            fs.close();
        }
    }

    public static class JimfsState extends NioState {
        @Override
        FileSystem newFileSystem() {
            return Peers.jimfs();
        }
    }

    public static class MemoryFsState extends NioState {
        @Override
        FileSystem newFileSystem() throws IOException {
            return Peers.memoryFs();
        }
    }

    @Benchmark
    public int pageVfs(PageVfsState s) throws VfsException {
        String path = s.paths[s.nextIndex()];
        Process p = s.proc;
        int fd = p.open(path, Fcntl.O_CREAT | Fcntl.O_WRONLY, 0644);
        int n = p.write(fd, s.data.clear());
        p.close(fd);
        p.unlink(path);
        return n;
    }

    @Benchmark
    public int jimfs(JimfsState s) throws IOException {
        return nioCycle(s);
    }

    @Benchmark
    public int memoryFs(MemoryFsState s) throws IOException {
        return nioCycle(s);
    }

    private static int nioCycle(NioState s) throws IOException {
        Path path = s.paths[s.nextIndex()];
        int n;
        try (SeekableByteChannel ch = Files.newByteChannel(path, CREATE_WRITE)) {
            n = ch.write(s.data.clear());
        }
        Files.delete(path);
        return n;
    }
}
