package io.pagevfs.core;

import java.io.IOException;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one exception type the core raises for a user error: an {@link Errno}, the operation that
 * failed and the path or paths it was given.
 *
 * <p>{@link #getMessage()} reads like the kernel's, {@code "/a/b: Permission denied"}; {@link
 * #toString()} adds the operation, so stack traces and logs show both.
 */
public final class VfsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String operation;
    @Nullable private final String path;
    @Nullable private final String otherPath;

    public VfsException(
            Errno errno, String operation, @Nullable String path, @Nullable String otherPath) {
        super(format(errno, path, otherPath));
        this.errno = Objects.requireNonNull(errno, "errno");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.path = path;
        this.otherPath = otherPath;
    }

    public VfsException(Errno errno, String operation, @Nullable String path) {
        this(errno, operation, path, null);
    }

    private static String format(Errno errno, @Nullable String path, @Nullable String other) {
        if (path == null) {
            return errno.message();
        }
        return (other == null ? path : path + " -> " + other) + ": " + errno.message();
    }

    public Errno errno() {
        return errno;
    }

    /** The system-call-like name of the operation, e.g. {@code "open"} or {@code "rename"}. */
    public String operation() {
        return operation;
    }

    /** The path the operation was given, or a descriptor's description ({@code "fd 3"}). */
    @Nullable
    public String path() {
        return path;
    }

    /** The second path of a two-path operation (rename, link, symlink), if any. */
    @Nullable
    public String otherPath() {
        return otherPath;
    }

    @Override
    public String toString() {
        return getClass().getName() + ": " + operation + ": " + getMessage();
    }
}
