package io.pagevfs.nio;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * What an operation did, as a string that compares across filesystems: {@code ok RESULT} or {@code
 * ex TYPE}, with the reason for a plain {@link FileSystemException} (whose type alone says
 * nothing).
 */
final class Outcomes {
    private Outcomes() {}

    /** One operation on one filesystem; returns a value that {@link #ok} renders. */
    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    static String of(Call call) {
        try {
            return ok(call.run());
        } catch (Exception e) {
            return ex(e);
        }
    }

    static String ok(Object result) {
        return result == null ? "ok" : "ok " + result;
    }

    static String ex(Exception e) {
        if (e.getClass() == FileSystemException.class) {
            return "ex FileSystemException(" + ((FileSystemException) e).getReason() + ")";
        }
        if (e.getClass() == java.io.IOException.class) {
            // the JDK's message is strerror's (or its own, "... (NOFOLLOW_LINKS specified)");
            // PageVFS prefixes the path: compare what follows it
            String m = String.valueOf(e.getMessage());
            return "ex IOException(" + m.substring(m.lastIndexOf(": ") + 1).trim() + ")";
        }
        return "ex " + e.getClass().getSimpleName();
    }

    /**
     * The one deliberate difference in exception types (docs/DIFFERENCES.md): PageVFS reports EPERM
     * as AccessDeniedException with the reason "Operation not permitted", the JDK as a plain
     * FileSystemException with that reason. This maps PageVFS's outcome to the JDK's form.
     */
    static String asJdkWouldReport(String outcome, Exception e) {
        if (e instanceof AccessDeniedException a
                && "Operation not permitted".equals(a.getReason())) {
            return "ex FileSystemException(Operation not permitted)";
        }
        return outcome;
    }

    /** {@link #of}, with PageVFS's EPERM shown as the JDK shows it. */
    static String ofPageVfs(Call call) {
        try {
            return ok(call.run());
        } catch (Exception e) {
            return asJdkWouldReport(ex(e), e);
        }
    }
}
