package io.pagevfs.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pagevfs.core.Credentials;
import io.pagevfs.core.Errno;
import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Mode;
import io.pagevfs.core.Process;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The differences from Linux that docs/DIFFERENCES.md lists and the kernel scenarios therefore
 * leave out, pinned: each example says what PageVFS does, and its comment what Linux 6.18 does on
 * tmpfs.
 */
class KernelDifferencesExamples {
    private Vfs vfs;
    private Process root;

    @BeforeEach
    void setUp() throws VfsException {
        vfs = Vfs.create();
        root = vfs.newProcess(Credentials.root());
        root.close(root.open("/f", Fcntl.O_WRONLY | Fcntl.O_CREAT, 0644));
        root.mkdir("/d", 0755);
    }

    @AfterEach
    void tearDown() {
        vfs.close();
    }

    private static Errno errno(Executable call) {
        return assertThrows(VfsException.class, call).errno();
    }

    @Test
    void trustedAndSecurityXattrs_asRoot_failWithENOTSUP() {
        // Linux: 0 for both; tmpfs stores trusted.* and security.* names.
        byte[] v = "v".getBytes(StandardCharsets.UTF_8);
        assertEquals(Errno.ENOTSUP, errno(() -> root.setxattr("/f", "trusted.a", v, 0)));
        assertEquals(Errno.ENOTSUP, errno(() -> root.setxattr("/f", "security.a", v, 0)));
        assertEquals(Errno.ENOTSUP, errno(() -> root.getxattr("/f", "trusted.a")));
    }

    @Test
    void bindMountOfARegularFile_failsWithENOTDIR() throws VfsException {
        // Linux: 0; a file can be bind-mounted on a file.
        root.close(root.open("/g", Fcntl.O_WRONLY | Fcntl.O_CREAT, 0644));
        assertEquals(Errno.ENOTDIR, errno(() -> root.bindMount("/f", "/g", Set.of())));
    }

    @Test
    void mknodOfAFifoOrSocket_failsWithENOTSUP() {
        // Linux: 0; tmpfs makes FIFOs and sockets.
        assertEquals(Errno.ENOTSUP, errno(() -> root.mknod("/d/p", Mode.S_IFIFO | 0644, 0)));
        assertEquals(Errno.ENOTSUP, errno(() -> root.mknod("/d/s", Mode.S_IFSOCK | 0644, 0)));
    }

    @Test
    void openWithOPath_failsWithENOTSUP() {
        // Linux: a path-only descriptor.
        assertEquals(Errno.ENOTSUP, errno(() -> root.open("/f", Fcntl.O_PATH)));
    }
}
