package io.pagevfs.bench;

import com.github.marschall.memoryfilesystem.MemoryFileSystemBuilder;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.pagevfs.core.Credentials;
import io.pagevfs.core.Process;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.file.FileSystem;

/** The filesystems the benchmarks compare, set up the same way for every benchmark. */
final class Peers {
    private Peers() {}

    /** The uid and gid the PageVFS benchmarks run as: an ordinary user, so no check is skipped. */
    static final int USER = 1000;

    /** A Linux-flavoured Jimfs (its default block cache and 8 KiB blocks). */
    static FileSystem jimfs() {
        return Jimfs.newFileSystem(Configuration.unix());
    }

    /** A Linux-flavoured memoryfilesystem. */
    static FileSystem memoryFs() throws IOException {
        return MemoryFileSystemBuilder.newLinux().build();
    }

    /** A process of {@link #USER} in a new default Vfs, owning the directory {@code home}. */
    static Process pageVfsUser(Vfs vfs, String home) throws VfsException {
        Process root = vfs.newProcess(Credentials.root());
        root.mkdir(home, 0755);
        root.chown(home, USER, USER);
        return vfs.newProcess(Credentials.of(USER, USER));
    }
}
