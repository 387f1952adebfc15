package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class VfsExceptionTest {
    @Test
    void message_readsLikeTheKernels() {
        VfsException e = new VfsException(Errno.EACCES, "open", "/a/b");
        assertEquals("/a/b: Permission denied", e.getMessage());
        assertEquals(Errno.EACCES, e.errno());
        assertEquals("open", e.operation());
        assertEquals("/a/b", e.path());
        assertNull(e.otherPath());
    }

    @Test
    void message_twoPaths_showsBoth() {
        VfsException e = new VfsException(Errno.EEXIST, "rename", "/a", "/b");
        assertEquals("/a -> /b: File exists", e.getMessage());
        assertEquals("/b", e.otherPath());
    }

    @Test
    void message_withoutPath_isTheErrnoText() {
        VfsException e = new VfsException(Errno.EPERM, "setcred", null);
        assertEquals("Operation not permitted", e.getMessage());
        assertNull(e.path());
    }

    @Test
    void toString_addsTheOperation() {
        VfsException e = new VfsException(Errno.EACCES, "open", "/a/b");
        assertEquals("io.pagevfs.core.VfsException: open: /a/b: Permission denied", e.toString());
    }

    @Test
    void constructor_nullErrnoOrOperation_isRejected() {
        assertThrows(NullPointerException.class, () -> new VfsException(null, "open", "/a"));
        assertThrows(NullPointerException.class, () -> new VfsException(Errno.EIO, null, "/a"));
    }

    @Test
    void isAnIOException() {
        assertInstanceOf(IOException.class, new VfsException(Errno.EIO, "read", "fd 3"));
    }

    @Test
    void systemCall_failure_namesOperationAndPathAsGiven() throws Exception {
        try (Vfs vfs = VfsTesting.newVfs()) {
            Process root = vfs.newProcess(Credentials.root());
            root.mkdir("/home", 0700);
            Process user = vfs.newProcess(Credentials.of(1000, 1000));
            VfsException e =
                    assertThrows(VfsException.class, () -> user.open("/home/x", Fcntl.O_RDONLY));
            assertEquals("open", e.operation());
            assertEquals("/home/x: Permission denied", e.getMessage());
            VfsException r =
                    assertThrows(VfsException.class, () -> root.rename("/missing", "/other"));
            assertEquals("/missing -> /other: No such file or directory", r.getMessage());
            assertEquals("rename", r.operation());
            VfsException b = assertThrows(VfsException.class, () -> root.close(42));
            assertEquals("fd 42: Bad file descriptor", b.getMessage());
        }
    }
}
