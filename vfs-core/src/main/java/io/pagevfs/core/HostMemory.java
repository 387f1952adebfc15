package io.pagevfs.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.UUID;

/**
 * Where memory-mapped files live: host shared memory that the JDK itself can map. The default is an
 * unlinked file in /dev/shm (tmpfs), or in the temporary directory where /dev/shm is missing
 * (disk-backed, slower). Inject another strategy through {@link VfsConfig.Builder#hostMemory}.
 */
@FunctionalInterface
public interface HostMemory {
    /** A new, empty host file open for reading and writing, already unlinked where possible. */
    FileChannel create() throws IOException;

    /** Host files in {@code dir}, created with mode 0600 and unlinked at once. */
    static HostMemory in(Path dir) {
        return () -> {
            Path p = dir.resolve("pagevfs-" + UUID.randomUUID());
            EnumSet<StandardOpenOption> options =
                    EnumSet.of(
                            StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileChannel ch;
            try {
                ch =
                        FileChannel.open(
                                p,
                                options,
                                PosixFilePermissions.asFileAttribute(
                                        PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                ch = FileChannel.open(p, options); // not a POSIX filesystem (Windows)
            }
            try {
                Files.delete(p);
            } catch (IOException e) {
                p.toFile().deleteOnExit(); // cannot unlink an open file here (Windows)
            }
            return ch;
        };
    }

    /** /dev/shm when it is a writable directory, else {@code java.io.tmpdir}. */
    static HostMemory system() {
        Path shm = Path.of("/dev/shm");
        boolean usable = Files.isDirectory(shm) && Files.isWritable(shm);
        return in(usable ? shm : Path.of(System.getProperty("java.io.tmpdir")));
    }
}
