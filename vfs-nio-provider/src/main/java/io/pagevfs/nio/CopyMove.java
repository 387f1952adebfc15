package io.pagevfs.nio;

import io.pagevfs.core.Errno;
import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;

/**
 * Files.copy and Files.move between PageVFS paths, as the JDK's UnixCopyFile does them: a move is a
 * rename(2) (replacing the target when REPLACE_EXISTING or ATOMIC_MOVE), falling back to copy and
 * delete across mounts or filesystems (AtomicMoveNotSupportedException with ATOMIC_MOVE); a copy
 * copies one file, an empty directory or (with NOFOLLOW_LINKS) a link, and with COPY_ATTRIBUTES
 * also its permissions, times and, where allowed, owner.
 */
final class CopyMove {
    private CopyMove() {}

    private record Flags(
            boolean replace, boolean copyAttributes, boolean followLinks, boolean atomic) {
        static Flags decode(boolean move, CopyOption... options) {
            boolean replace = false, attrs = false, follow = true, atomic = false;
            for (CopyOption o : options) {
                if (o == StandardCopyOption.REPLACE_EXISTING) {
                    replace = true;
                } else if (o == StandardCopyOption.COPY_ATTRIBUTES && !move) {
                    attrs = true;
                } else if (o == LinkOption.NOFOLLOW_LINKS) {
                    follow = false;
                } else if (o == StandardCopyOption.ATOMIC_MOVE && move) {
                    atomic = true;
                } else if (o == null) {
                    throw new NullPointerException("null copy option");
                } else {
                    throw new UnsupportedOperationException("Unsupported copy option: " + o);
                }
            }
            return new Flags(replace, attrs || move, follow && !move, atomic);
        }
    }

    static void move(PageVfsPath source, PageVfsPath target, CopyOption... options)
            throws IOException {
        Flags f = Flags.decode(true, options);
        Process p = source.getFileSystem().process();
        boolean sameKernel = target.getFileSystem().kernel() == source.getFileSystem().kernel();
        if (f.atomic()) {
            if (!sameKernel) {
                throw new AtomicMoveNotSupportedException(
                        source.toString(), target.toString(), "different file systems");
            }
            try {
                p.rename(source.kernelPath(), target.kernelPath());
            } catch (VfsException e) {
                if (e.errno() == Errno.EXDEV) {
                    throw new AtomicMoveNotSupportedException(
                            source.toString(), target.toString(), e.errno().message());
                }
                throw Errors.translate(e, source, target);
            }
            return;
        }
        Stat src = Attributes.stat(source, false);
        if (sameKernel && isSame(source, target, src)) {
            return;
        }
        prepareTarget(target, f);
        if (sameKernel) {
            try {
                p.rename(source.kernelPath(), target.kernelPath());
                return;
            } catch (VfsException e) {
                if (e.errno() != Errno.EXDEV) {
                    throw Errors.translate(e, source, target);
                }
            }
        }
        if (src.isDirectory() && hasEntries(source)) {
            throw new DirectoryNotEmptyException(source.toString());
        }
        copyOne(source, target, src, f);
        Files.delete(source);
    }

    static void copy(PageVfsPath source, PageVfsPath target, CopyOption... options)
            throws IOException {
        Flags f = Flags.decode(false, options);
        Stat src = Attributes.stat(source, f.followLinks());
        if (target.getFileSystem().kernel() == source.getFileSystem().kernel()
                && isSame(source, target, src)) {
            return;
        }
        prepareTarget(target, f);
        copyOne(source, target, src, f);
    }

    private static boolean isSame(PageVfsPath source, PageVfsPath target, Stat src) {
        try {
            Stat t = Attributes.stat(target, false);
            return t.dev() == src.dev() && t.ino() == src.ino();
        } catch (IOException e) {
            return false;
        }
    }

    /** An existing target: FileAlreadyExistsException, or deleted with REPLACE_EXISTING. */
    private static void prepareTarget(PageVfsPath target, Flags f) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!f.replace()) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Files.delete(target);
    }

    private static boolean hasEntries(PageVfsPath dir) throws IOException {
        try (var s = Files.newDirectoryStream(dir)) {
            return s.iterator().hasNext();
        }
    }

    private static void copyOne(PageVfsPath source, PageVfsPath target, Stat src, Flags f)
            throws IOException {
        if (src.isDirectory()) {
            Files.createDirectory(target);
        } else if (src.isSymlink()) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(source));
        } else {
            try (InputStream in = Files.newInputStream(source);
                    OutputStream out =
                            Files.newOutputStream(
                                    target,
                                    StandardOpenOption.CREATE_NEW,
                                    StandardOpenOption.WRITE)) {
                in.transferTo(out);
            }
        }
        if (f.copyAttributes()) {
            copyAttributes(target, src);
        }
    }

    /**
     * Permissions and times always; owner and group only where the caller may set them (root), as
     * the JDK tries and ignores EPERM.
     */
    private static void copyAttributes(PageVfsPath target, Stat src) throws IOException {
        Process p = target.getFileSystem().process();
        if (src.isSymlink()) {
            return;
        }
        try {
            p.chown(target.kernelPath(), src.uid(), src.gid());
        } catch (VfsException e) {
            if (e.errno() != Errno.EPERM) {
                throw Errors.translate(e, target);
            }
        }
        Files.getFileAttributeView(target, PosixFileAttributeView.class)
                .setPermissions(Attributes.toPermissions(src.permissions()));
        try {
            p.utimensAt(Fcntl.AT_FDCWD, target.kernelPath(), src.atimeNanos(), src.mtimeNanos(), 0);
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
    }
}
