package io.pagevfs.core;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * mmap(2) over a descriptor: the checks of {@link MapRules}, then the mapping itself, made by the
 * file's host-memory store ({@link HostPageStore}) after promoting it on its first mapping, and
 * registered with the truncate guard before the file's monitor is released (so no truncate can cut
 * the host file below a mapping that is not tracked yet).
 */
final class MapCalls {
    private MapCalls() {}

    /** The classic mapping: the host channel's MappedByteBuffer, tracked by its root buffer. */
    private static final HostMapper<MappedByteBuffer> BUFFERS =
            (host, mode, offset, length) -> host.map(mode, offset, length);

    static FileMapping mmap(Process p, int fd, long offset, long length, int prot, int flags)
            throws VfsException {
        if (length > Integer.MAX_VALUE) {
            // one MappedByteBuffer holds at most 2 GiB - 1 (see docs/DIFFERENCES.md); the other
            // checks come first
            OpenFile f = checked(p, fd, offset, length, prot, flags);
            throw new VfsException(Errno.ENOMEM, "mmap", f.path);
        }
        MappedByteBuffer buffer = mmap(p, fd, offset, length, prot, flags, BUFFERS);
        return new FileMapping(buffer, offset, prot, flags);
    }

    static <T> T mmap(
            Process p, int fd, long offset, long length, int prot, int flags, HostMapper<T> mapper)
            throws VfsException {
        p.vfs.reapMappings();
        OpenFile f = checked(p, fd, offset, length, prot, flags);
        RegularFile file = (RegularFile) f.inode;
        FileChannel.MapMode mode =
                (prot & Mman.PROT_WRITE) == 0
                        ? FileChannel.MapMode.READ_ONLY
                        : (flags & Mman.MAP_TYPE) == Mman.MAP_PRIVATE
                                ? FileChannel.MapMode.PRIVATE
                                : FileChannel.MapMode.READ_WRITE;
        // The mapping holds the open file description; retain it before taking the inode's
        // monitor (the description's monitor comes first in the lock order).
        f.retain();
        boolean tracked = false;
        try {
            T mapping;
            try {
                mapping =
                        file.map(p.vfs, f, p.vfs.config.hostMemory(), mode, offset, length, mapper);
            } catch (IOException io) {
                VfsException x = new VfsException(Errno.ENOMEM, "mmap", f.path);
                x.initCause(io);
                throw x;
            }
            if (mapping == null) {
                throw new VfsException(Errno.ENOSPC, "mmap", f.path);
            }
            tracked = true;
            return mapping;
        } finally {
            if (!tracked) {
                f.release();
            }
        }
    }

    /**
     * The checks before any mapping: alignment, then {@link MapRules}. Returns the open file, or
     * throws the errno.
     */
    private static OpenFile checked(
            Process p, int fd, long offset, long length, int prot, int flags) throws VfsException {
        if (offset % PageGeometry.MIN_PAGE_SIZE != 0) {
            // Linux checks alignment before the descriptor; no volume has pages smaller than this
            throw new VfsException(Errno.EINVAL, "mmap", "fd " + fd);
        }
        OpenFile f;
        try {
            f = p.file("mmap", fd);
        } catch (VfsException badFd) {
            if (!p.vfs.config.geometry().isAligned(offset)) {
                // Linux checks the offset against its page size before the descriptor; the
                // configured page size is this Vfs's PAGE_SIZE
                throw new VfsException(Errno.EINVAL, "mmap", "fd " + fd);
            }
            throw badFd;
        }
        PageGeometry g = f.inode.volume.geometry();
        Errno e =
                g.isAligned(offset)
                        ? MapRules.check(f, offset, length, prot, flags, g)
                        : Errno.EINVAL;
        if (e != null) {
            throw new VfsException(e, "mmap", f.path);
        }
        return f;
    }
}
