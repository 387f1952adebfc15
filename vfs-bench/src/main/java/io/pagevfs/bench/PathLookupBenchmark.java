package io.pagevfs.bench;

import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
 * Resolution of a 10-component path, {@value #PATH}: stat(2) on PageVFS, {@code
 * Files.readAttributes(path, BasicFileAttributes.class)} on the java.nio peers. Each directory on
 * the way holds {@value #SIBLINGS} other entries, so lookups probe real tables.
 *
 * <p>PageVFS parses its path string on every call. The peers get a {@link Path} parsed once in
 * setup ({@code jimfs}, {@code memoryFs}) and, for comparison, one parsed from the same string on
 * every call ({@code jimfsParsing}, {@code memoryFsParsing}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PathLookupBenchmark {
    static final String PATH = "/a0/a1/a2/a3/a4/a5/a6/a7/a8/file";
    static final int SIBLINGS = 8;

    @State(Scope.Thread)
    public static class PageVfsState {
        Vfs vfs;
        Process proc;

        @Setup(Level.Trial)
        public void setUp() throws VfsException {
            vfs = Vfs.create();
            proc = Peers.pageVfsUser(vfs, "/a0");
            String dir = "/a0";
            for (int level = 1; level <= 9; level++) {
                for (int i = 0; i < SIBLINGS; i++) {
                    proc.mkdir(dir + "/sibling" + i, 0755);
                }
                if (level < 9) {
                    dir = dir + "/a" + level;
                    proc.mkdir(dir, 0755);
                }
            }
            proc.close(proc.open(PATH, Fcntl.O_CREAT, 0644));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            vfs.close();
        }
    }

    @State(Scope.Thread)
    public abstract static class NioState {
        FileSystem fs;
        Path path;

        abstract FileSystem newFileSystem() throws IOException;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            fs = newFileSystem();
            Path dir = fs.getPath("/a0");
            Files.createDirectory(dir);
            for (int level = 1; level <= 9; level++) {
                for (int i = 0; i < SIBLINGS; i++) {
                    Files.createDirectory(dir.resolve("sibling" + i));
                }
                if (level < 9) {
                    dir = Files.createDirectory(dir.resolve("a" + level));
                }
            }
            path = Files.createFile(fs.getPath(PATH));
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
    public Stat pageVfs(PageVfsState s) throws VfsException {
        return s.proc.stat(PATH);
    }

    @Benchmark
    public BasicFileAttributes jimfs(JimfsState s) throws IOException {
        return Files.readAttributes(s.path, BasicFileAttributes.class);
    }

    @Benchmark
    public BasicFileAttributes jimfsParsing(JimfsState s) throws IOException {
        return Files.readAttributes(s.fs.getPath(PATH), BasicFileAttributes.class);
    }

    @Benchmark
    public BasicFileAttributes memoryFs(MemoryFsState s) throws IOException {
        return Files.readAttributes(s.path, BasicFileAttributes.class);
    }

    @Benchmark
    public BasicFileAttributes memoryFsParsing(MemoryFsState s) throws IOException {
        return Files.readAttributes(s.fs.getPath(PATH), BasicFileAttributes.class);
    }
}
