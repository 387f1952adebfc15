package io.pagevfs.core;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * mmap(2) over a descriptor: the checks of {@link MapRules}, then the mapping itself, made by the
 * file's host-memory store ({@link HostPageStore}) after promoting it on its first mapping.
 */
final class MapCalls {
    private MapCalls() {}

    static FileMapping mmap(Process p, int fd, long offset, long length, int prot, int flags)
            throws VfsException {
        p.vfs.reapMappings();
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
        if (e == null && length > Integer.MAX_VALUE) {
            e = Errno.ENOMEM; // one MappedByteBuffer holds at most 2 GiB - 1 (see
            // docs/DIFFERENCES.md)
        }
        if (e != null) {
            throw new VfsException(e, "mmap", f.path);
        }
        RegularFile file = (RegularFile) f.inode;
        FileChannel.MapMode mode =
                (prot & Mman.PROT_WRITE) == 0
                        ? FileChannel.MapMode.READ_ONLY
                        : (flags & Mman.MAP_TYPE) == Mman.MAP_PRIVATE
                                ? FileChannel.MapMode.PRIVATE
                                : FileChannel.MapMode.READ_WRITE;
        MappedByteBuffer buffer;
        // The mapping holds its open file description; taken before the inode's monitor (lock
        // order), dropped again if no mapping is made.
        f.retain();
        boolean tracked = false;
        try {
            // Map and register in one hold of the inode's monitor: a truncate in between would
            // not see the new mapping and could shrink the host file under it (SIGBUS).
            synchronized (file) {
                buffer = file.map(p.vfs.config.hostMemory(), mode, offset, (int) length);
                if (buffer != null) {
                    p.vfs.track(buffer, file, f, offset + length);
                    tracked = true;
                }
            }
        } catch (IOException io) {
            VfsException x = new VfsException(Errno.ENOMEM, "mmap", f.path);
            x.initCause(io);
            throw x;
        } finally {
            if (!tracked) {
                f.release();
            }
        }
        if (buffer == null) {
            throw new VfsException(Errno.ENOSPC, "mmap", f.path);
        }
        return new FileMapping(buffer, offset, prot, flags);
    }
}
