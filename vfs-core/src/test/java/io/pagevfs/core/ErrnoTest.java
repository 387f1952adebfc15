package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    /**
     * Linux's values (asm-generic/errno-base.h, errno.h) and glibc's strerror text, as printed on
     * the build machine.
     */
    private static final Object[][] LINUX = {
        {"EPERM", 1, "Operation not permitted"},
        {"ENOENT", 2, "No such file or directory"},
        {"ESRCH", 3, "No such process"},
        {"EINTR", 4, "Interrupted system call"},
        {"EIO", 5, "Input/output error"},
        {"ENXIO", 6, "No such device or address"},
        {"E2BIG", 7, "Argument list too long"},
        {"ENOEXEC", 8, "Exec format error"},
        {"EBADF", 9, "Bad file descriptor"},
        {"EAGAIN", 11, "Resource temporarily unavailable"},
        {"ENOMEM", 12, "Cannot allocate memory"},
        {"EACCES", 13, "Permission denied"},
        {"EFAULT", 14, "Bad address"},
        {"EBUSY", 16, "Device or resource busy"},
        {"EEXIST", 17, "File exists"},
        {"EXDEV", 18, "Invalid cross-device link"},
        {"ENODEV", 19, "No such device"},
        {"ENOTDIR", 20, "Not a directory"},
        {"EISDIR", 21, "Is a directory"},
        {"EINVAL", 22, "Invalid argument"},
        {"ENFILE", 23, "Too many open files in system"},
        {"EMFILE", 24, "Too many open files"},
        {"ENOTTY", 25, "Inappropriate ioctl for device"},
        {"ETXTBSY", 26, "Text file busy"},
        {"EFBIG", 27, "File too large"},
        {"ENOSPC", 28, "No space left on device"},
        {"ESPIPE", 29, "Illegal seek"},
        {"EROFS", 30, "Read-only file system"},
        {"EMLINK", 31, "Too many links"},
        {"ERANGE", 34, "Numerical result out of range"},
        {"EDEADLK", 35, "Resource deadlock avoided"},
        {"ENAMETOOLONG", 36, "File name too long"},
        {"ENOLCK", 37, "No locks available"},
        {"ENOSYS", 38, "Function not implemented"},
        {"ENOTEMPTY", 39, "Directory not empty"},
        {"ELOOP", 40, "Too many levels of symbolic links"},
        {"ENODATA", 61, "No data available"},
        {"EOVERFLOW", 75, "Value too large for defined data type"},
        {"ENOTSUP", 95, "Operation not supported"},
        {"EADDRINUSE", 98, "Address already in use"},
    };

    @Test
    void codes_areUnique() {
        Set<Integer> codes = new HashSet<>();
        for (Errno e : Errno.values()) {
            assertTrue(codes.add(e.code()), "duplicate code " + e.code() + " of " + e);
        }
    }

    @Test
    void ofCode_roundTripsEveryConstant() {
        for (Errno e : Errno.values()) {
            assertSame(e, Errno.ofCode(e.code()));
        }
    }

    @Test
    void ofCode_unknownValue_isRejected() {
        for (int code : new int[] {0, -1, 10, 15, 41, 1000, Integer.MIN_VALUE}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Errno.ofCode(code));
            assertTrue(e.getMessage().contains(String.valueOf(code)));
        }
    }

    @Test
    void everyConstant_hasLinuxValueAndGlibcMessage() {
        Map<String, Object[]> table = new HashMap<>();
        for (Object[] row : LINUX) {
            table.put((String) row[0], row);
        }
        assertEquals(LINUX.length, Errno.values().length, "every constant is in the table");
        for (Errno e : Errno.values()) {
            Object[] row = table.get(e.name());
            assertEquals(row[1], e.code(), e.name());
            assertEquals(row[2], e.message(), e.name());
        }
    }
}
