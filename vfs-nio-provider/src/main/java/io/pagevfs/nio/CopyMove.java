package io.pagevfs.nio;

import io.pagevfs.core.Errno;
import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Mode;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Files.copy and Files.move between PageVFS paths, step for step as the JDK's Linux provider does
 * them (UnixFileSystem.copy and move): a move is a rename(2), after removing an existing target
 * with REPLACE_EXISTING, and falls back to copy and delete across mounts or kernels
 * (AtomicMoveNotSupportedException with ATOMIC_MOVE); a copy copies one file (created with the
 * source's mode), an empty directory or, without following, a link, and with COPY_ATTRIBUTES also
 * the owner (where allowed), permissions and times. Where the JDK changed between releases, the
 * running JDK's behaviour applies ({@link JdkBehaviour}).
 */
final class CopyMove {
    private CopyMove() {}

    private static final int COPY_BUFFER = 64 * 1024;

    /** The options of one copy or move, decoded once (the JDK's UnixFileSystem.Flags). */
    private record Flags(
            boolean replace, boolean atomic, boolean followLinks, boolean copyAttributes) {
        static Flags forCopy(CopyOption... options) {
            boolean replace = false, follow = true, attrs = false;
            for (CopyOption o : options) {
                if (o == StandardCopyOption.REPLACE_EXISTING) {
                    replace = true;
                } else if (o == LinkOption.NOFOLLOW_LINKS) {
                    follow = false;
                } else if (o == StandardCopyOption.COPY_ATTRIBUTES) {
                    attrs = true;
                } else if (o == null) {
                    throw new NullPointerException("null copy option");
                } else {
                    throw new UnsupportedOperationException("Unsupported copy option: " + o);
                }
            }
            return new Flags(replace, false, follow, attrs);
        }

        /** A move never follows links and, when it copies, copies every attribute. */
        static Flags forMove(CopyOption... options) {
            boolean replace = false, atomic = false;
            for (CopyOption o : options) {
                if (o == StandardCopyOption.ATOMIC_MOVE) {
                    atomic = true;
                } else if (o == StandardCopyOption.REPLACE_EXISTING) {
                    replace = true;
                } else if (o == LinkOption.NOFOLLOW_LINKS) {
                    continue; // implied
                } else if (o == null) {
                    throw new NullPointerException("null copy option");
                } else {
                    throw new UnsupportedOperationException("Unsupported option: " + o);
                }
            }
            return new Flags(replace, atomic, false, true);
        }
    }

    private static Process process(PageVfsPath p) {
        return p.getFileSystem().process();
    }

    private static boolean sameKernel(PageVfsPath a, PageVfsPath b) {
        return a.getFileSystem().kernel() == b.getFileSystem().kernel();
    }

    static void move(PageVfsPath source, PageVfsPath target, CopyOption... options)
            throws IOException {
        Flags f = Flags.forMove(options);
        target.getFileSystem().ensureOpen();
        if (f.atomic()) {
            renameAtomically(source, target);
            return;
        }
        Stat src = sourceStat(source, false);
        if (JdkBehaviour.COPY_CHECKS_SOURCE_ACCESS && src.isDirectory()) {
            checkAccess(source, Mode.W_OK);
        }
        if (!replaceTarget(source, src, target, f)) {
            return;
        }
        if (sameKernel(source, target)) {
            try {
                process(source).rename(source.kernelPath(), target.kernelPath());
                return;
            } catch (VfsException e) {
                if (e.errno() != Errno.EXDEV && e.errno() != Errno.EISDIR) {
                    throw Errors.translate(e, source, target);
                }
            }
        }
        if (src.isDirectory()) {
            ensureEmptyDirectory(source);
        }
        copyOne(source, src, target, f);
        deleteMovedSource(source, src, target);
    }

    private static void renameAtomically(PageVfsPath source, PageVfsPath target)
            throws IOException {
        if (!sameKernel(source, target)) {
            throw new AtomicMoveNotSupportedException(
                    source.toString(), target.toString(), Errno.EXDEV.message());
        }
        try {
            process(source).rename(source.kernelPath(), target.kernelPath());
        } catch (VfsException e) {
            if (e.errno() == Errno.EXDEV) {
                throw new AtomicMoveNotSupportedException(
                        source.toString(), target.toString(), e.errno().message());
            }
            throw Errors.translate(e, source, target);
        }
    }

    static void copy(PageVfsPath source, PageVfsPath target, CopyOption... options)
            throws IOException {
        Flags f = Flags.forCopy(options);
        target.getFileSystem().ensureOpen();
        Stat src = sourceStat(source, f.followLinks());
        if (JdkBehaviour.COPY_CHECKS_SOURCE_ACCESS && (!src.isSymlink() || f.followLinks())) {
            checkAccess(source, Mode.R_OK);
        }
        if (replaceTarget(source, src, target, f)) {
            copyOne(source, src, target, f);
        }
    }

    /** The source's attributes; ENOTDIR is NoSuchFileException where the running JDK says so. */
    private static Stat sourceStat(PageVfsPath source, boolean follow) throws IOException {
        try {
            return follow
                    ? process(source).stat(source.kernelPath())
                    : process(source).lstat(source.kernelPath());
        } catch (VfsException e) {
            throw sourceError(e, source);
        }
    }

    private static void checkAccess(PageVfsPath source, int mode) throws IOException {
        try {
            process(source).access(source.kernelPath(), mode);
        } catch (VfsException e) {
            throw Errors.translate(e, source);
        }
    }

    private static IOException sourceError(VfsException e, PageVfsPath source) {
        if (JdkBehaviour.ENOTDIR_IS_NO_SUCH_FILE && e.errno() == Errno.ENOTDIR) {
            NoSuchFileException x = new NoSuchFileException(source.toString());
            x.initCause(e);
            return x;
        }
        return Errors.translate(e, source);
    }

    /**
     * Handles an existing target: false if it is the source itself (nothing to do),
     * FileAlreadyExistsException without REPLACE_EXISTING, else removes it (a non-empty directory
     * is DirectoryNotEmptyException).
     */
    private static boolean replaceTarget(PageVfsPath source, Stat src, PageVfsPath target, Flags f)
            throws IOException {
        Stat existing = lstatQuietly(target);
        if (existing == null) {
            return true;
        }
        if (sameKernel(source, target)
                && existing.dev() == src.dev()
                && existing.ino() == src.ino()) {
            return false;
        }
        if (!f.replace()) {
            throw new FileAlreadyExistsException(target.toString());
        }
        try {
            remove(target, existing);
        } catch (VfsException e) {
            if (existing.isDirectory() && isNotEmpty(e)) {
                throw new DirectoryNotEmptyException(target.toString());
            }
            if (!(JdkBehaviour.COPY_CHECKS_SOURCE_ACCESS && e.errno() == Errno.ENOENT)) {
                throw Errors.translate(e, target);
            }
        }
        return true;
    }

    private static @Nullable Stat lstatQuietly(PageVfsPath p) {
        try {
            return process(p).lstat(p.kernelPath());
        } catch (VfsException e) {
            return null;
        }
    }

    private static void remove(PageVfsPath p, Stat st) throws VfsException {
        if (st.isDirectory()) {
            process(p).rmdir(p.kernelPath());
        } else {
            process(p).unlink(p.kernelPath());
        }
    }

    private static boolean isNotEmpty(VfsException e) {
        return e.errno() == Errno.EEXIST || e.errno() == Errno.ENOTEMPTY;
    }

    private static void ensureEmptyDirectory(PageVfsPath dir) throws IOException {
        try {
            if (!process(dir).listDirectory(dir.kernelPath()).isEmpty()) {
                throw new DirectoryNotEmptyException(dir.toString());
            }
        } catch (VfsException e) {
            throw Errors.translate(e, dir);
        }
    }

    /** After a move by copying: deletes the source, or undoes the copy and says why not. */
    private static void deleteMovedSource(PageVfsPath source, Stat src, PageVfsPath target)
            throws IOException {
        try {
            remove(source, src);
        } catch (VfsException e) {
            try {
                remove(target, src);
            } catch (VfsException ignored) {
                // the JDK ignores this too
            }
            if (src.isDirectory() && isNotEmpty(e)) {
                throw new DirectoryNotEmptyException(source.toString());
            }
            throw Errors.translate(e, source);
        }
    }

    private static void copyOne(PageVfsPath source, Stat src, PageVfsPath target, Flags f)
            throws IOException {
        if (src.isDirectory()) {
            copyDirectory(src, target, f);
        } else if (src.isSymlink()) {
            copyLink(source, src, target, f);
        } else if (src.isRegularFile()) {
            copyFile(source, src, target, f);
        } else {
            copySpecial(src, target, f);
        }
    }

    private static void copyDirectory(Stat src, PageVfsPath target, Flags f) throws IOException {
        Process p = process(target);
        try {
            p.mkdir(target.kernelPath(), src.permissions());
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
        if (!f.copyAttributes()) {
            return;
        }
        boolean done = false;
        try {
            copyOwnerAndMode(p, target, src);
            copyTimes(p, target, src);
            done = true;
        } finally {
            if (!done) {
                quietly(() -> p.rmdir(target.kernelPath()));
            }
        }
    }

    private static void copyFile(PageVfsPath source, Stat src, PageVfsPath target, Flags f)
            throws IOException {
        Process in = process(source);
        Process out = process(target);
        int fi;
        try {
            fi = in.open(source.kernelPath(), Fcntl.O_RDONLY);
        } catch (VfsException e) {
            throw Errors.translate(e, source);
        }
        try {
            int fo;
            try {
                fo =
                        out.open(
                                target.kernelPath(),
                                Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_EXCL,
                                src.permissions());
            } catch (VfsException e) {
                throw Errors.translate(e, target);
            }
            boolean complete = false;
            try {
                copyBytes(in, fi, out, fo, source, target);
                if (f.copyAttributes()) {
                    copyOwnerAndMode(out, target, src);
                    copyTimes(out, target, src);
                }
                complete = true;
            } finally {
                quietly(() -> out.close(fo));
                if (!complete) {
                    quietly(() -> out.unlink(target.kernelPath()));
                }
            }
        } finally {
            quietly(() -> in.close(fi));
        }
    }

    private static void copyBytes(
            Process in, int fi, Process out, int fo, PageVfsPath source, PageVfsPath target)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(COPY_BUFFER);
        try {
            while (in.read(fi, buf.clear()) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    out.write(fo, buf);
                }
            }
        } catch (VfsException e) {
            throw Errors.translate(e, source, target);
        }
    }

    private static void copyLink(PageVfsPath source, Stat src, PageVfsPath target, Flags f)
            throws IOException {
        String link;
        try {
            link = process(source).readlink(source.kernelPath());
        } catch (VfsException e) {
            throw Errors.translate(e, source);
        }
        Process p = process(target);
        try {
            p.symlink(link, target.kernelPath());
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
        if (f.copyAttributes()) {
            quietly(() -> p.lchown(target.kernelPath(), src.uid(), src.gid()));
        }
    }

    private static void copySpecial(Stat src, PageVfsPath target, Flags f) throws IOException {
        Process p = process(target);
        try {
            p.mknod(target.kernelPath(), src.mode(), src.rdev());
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
        boolean done = false;
        try {
            if (f.copyAttributes()) {
                copyOwnerAndMode(p, target, src);
                copyTimes(p, target, src);
            }
            done = true;
        } finally {
            if (!done) {
                quietly(() -> p.unlink(target.kernelPath()));
            }
        }
    }

    /**
     * chown then chmod, as the JDK: a failure (EPERM for an ordinary user giving the file away)
     * skips the rest and is not reported.
     */
    private static void copyOwnerAndMode(Process p, PageVfsPath target, Stat src) {
        quietly(
                () -> {
                    p.chown(target.kernelPath(), src.uid(), src.gid());
                    p.chmod(target.kernelPath(), src.permissions());
                });
    }

    private static void copyTimes(Process p, PageVfsPath target, Stat src) throws IOException {
        try {
            p.utimensAt(Fcntl.AT_FDCWD, target.kernelPath(), src.atimeNanos(), src.mtimeNanos(), 0);
        } catch (VfsException e) {
            throw Errors.translate(e, target);
        }
    }

    @FunctionalInterface
    private interface KernelCall {
        void run() throws VfsException;
    }

    private static void quietly(KernelCall call) {
        try {
            call.run();
        } catch (VfsException ignored) {
            // best effort, as the JDK's
        }
    }
}
