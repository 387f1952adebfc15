package io.pagevfs.nio;

import io.pagevfs.core.Errno;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one table that turns a kernel {@link VfsException} into the exception the JDK's Linux
 * provider throws for the same errno, with the JDK's reason strings (UnixException's
 * translateToIOException): EACCES and EPERM are AccessDeniedException, ENOENT NoSuchFileException,
 * EEXIST FileAlreadyExistsException, ELOOP a FileSystemException "Too many levels of symbolic links
 * or unable to access attributes of symbolic link", everything else a FileSystemException with
 * strerror's text (EROFS: "Read-only file system").
 */
final class Errors {
    private Errors() {}

    static FileSystemException translate(VfsException e, @Nullable Object file) {
        return translate(e, file, null);
    }

    static FileSystemException translate(
            VfsException e, @Nullable Object file, @Nullable Object other) {
        String f = file == null ? null : file.toString();
        String o = other == null ? null : other.toString();
        FileSystemException x =
                switch (e.errno()) {
                    case EACCES, EPERM ->
                            new AccessDeniedException(
                                    f, o, e.errno() == Errno.EPERM ? e.errno().message() : null);
                    case ENOENT -> new NoSuchFileException(f, o, null);
                    case EEXIST -> new FileAlreadyExistsException(f, o, null);
                    case ELOOP ->
                            new FileSystemException(
                                    f,
                                    o,
                                    e.errno().message()
                                            + " or unable to access attributes of symbolic link");
                    default -> new FileSystemException(f, o, e.errno().message());
                };
        x.initCause(e);
        return x;
    }

    /** For delete: a non-empty directory is DirectoryNotEmptyException, as the JDK's implDelete. */
    static FileSystemException forDelete(VfsException e, Object file) {
        if (e.errno() == Errno.ENOTEMPTY || e.errno() == Errno.EEXIST) {
            return withCause(new DirectoryNotEmptyException(file.toString()), e);
        }
        return translate(e, file);
    }

    /**
     * For reading attributes and checkAccess: ENOTDIR is NoSuchFileException where the running JDK
     * says so (Java 25, JDK-8356678).
     */
    static FileSystemException forAttributes(VfsException e, Object file) {
        if (JdkBehaviour.ENOTDIR_IS_NO_SUCH_FILE && e.errno() == Errno.ENOTDIR) {
            return withCause(new NoSuchFileException(file.toString()), e);
        }
        return translate(e, file);
    }

    /** For newDirectoryStream: a non-directory is NotDirectoryException. */
    static FileSystemException forDirectory(VfsException e, Object file) {
        if (e.errno() == Errno.ENOTDIR) {
            return withCause(new NotDirectoryException(file.toString()), e);
        }
        return translate(e, file);
    }

    /** For readSymbolicLink: a non-link is NotLinkException. */
    static FileSystemException forReadLink(VfsException e, Object file) {
        if (e.errno() == Errno.EINVAL) {
            return withCause(new NotLinkException(file.toString()), e);
        }
        return translate(e, file);
    }

    /**
     * For I/O on an open channel: a plain IOException, as the JDK's channels throw for a failed
     * read(2) or write(2) (its message is strerror's; this one also names the file).
     */
    static IOException forChannel(VfsException e, Object file) {
        IOException x = new IOException(file + ": " + e.errno().message());
        x.initCause(e);
        return x;
    }

    private static FileSystemException withCause(FileSystemException x, VfsException cause) {
        x.initCause(cause);
        return x;
    }
}
