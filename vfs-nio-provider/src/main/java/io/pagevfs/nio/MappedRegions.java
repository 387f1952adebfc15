package io.pagevfs.nio;

import io.pagevfs.core.FileMapping;
import io.pagevfs.core.Mman;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel.MapMode;

/**
 * Turns a FileChannel.map request into a kernel mmap: the region is widened down to a page boundary
 * (as the JDK does before calling mmap) and the requested range sliced out of the mapped buffer, so
 * the slice keeps the mapping alive.
 */
final class MappedRegions {
    private MappedRegions() {}

    static MappedByteBuffer map(PageVfsFileChannel ch, MapMode mode, long position, long size)
            throws IOException {
        int pageSize;
        try {
            pageSize = ch.process().fstatfs(ch.fd()).blockSize();
        } catch (VfsException e) {
            throw Errors.translate(e, ch.path());
        }
        long aligned = position - position % pageSize;
        int delta = (int) (position - aligned);
        if (size + delta > Integer.MAX_VALUE) {
            throw new IOException(
                    "PageVFS cannot map "
                            + size
                            + " bytes at an unaligned position: a mapping holds at most 2 GiB - 1 (see docs/DIFFERENCES.md)");
        }
        int prot = mode == MapMode.READ_ONLY ? Mman.PROT_READ : Mman.PROT_READ | Mman.PROT_WRITE;
        int flags = mode == MapMode.PRIVATE ? Mman.MAP_PRIVATE : Mman.MAP_SHARED;
        try {
            FileMapping m = ch.process().mmap(ch.fd(), aligned, size + delta, prot, flags);
            MappedByteBuffer root = m.buffer();
            return delta == 0 && root.capacity() == size ? root : root.slice(delta, (int) size);
        } catch (VfsException e) {
            throw Errors.translate(e, ch.path());
        }
    }
}
