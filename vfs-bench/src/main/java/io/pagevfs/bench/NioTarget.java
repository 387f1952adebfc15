package io.pagevfs.bench;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.pagevfs.nio.PageVfs;
import io.pagevfs.nio.PageVfsConfig;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The filesystems the NIO benchmarks compare, each giving a fresh empty working directory. */
public enum NioTarget {
    PAGEVFS {
        @Override
        Path open() throws IOException {
            fs = PageVfs.newFileSystem(PageVfsConfig.builder().memoryLimit(8L << 30).build());
            return Files.createDirectory(fs.getPath("/bench"));
        }
    },
    JIMFS {
        @Override
        Path open() throws IOException {
            fs = Jimfs.newFileSystem(Configuration.unix());
            return Files.createDirectory(fs.getPath("/bench"));
        }
    },
    /**
     * The JDK's own provider on /dev/shm (tmpfs), or the temp directory where /dev/shm is missing.
     */
    JDK_SHM {
        @Override
        Path open() throws IOException {
            Path shm = Path.of("/dev/shm");
            dir =
                    Files.isDirectory(shm)
                            ? Files.createTempDirectory(shm, "pagevfs-bench")
                            : Files.createTempDirectory("pagevfs-bench");
            return dir;
        }

        @Override
        void close() throws IOException {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    };

    FileSystem fs;
    Path dir;

    abstract Path open() throws IOException;

    void close() throws IOException {
        fs.close();
    }
}
