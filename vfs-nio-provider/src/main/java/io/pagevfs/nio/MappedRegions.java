package io.pagevfs.nio;

import io.pagevfs.core.FileMapping;
import io.pagevfs.core.HostMapper;
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

    static MappedByteBuffer map(
            AbstractPageVfsFileChannel ch, MapMode mode, long position, long size)
            throws IOException {
        int delta = delta(ch, position);
        if (size + delta > Integer.MAX_VALUE) {
            throw new IOException(
                    "PageVFS cannot map "
                            + size
                            + " bytes at an unaligned position: a mapping holds at most 2 GiB - 1 (see docs/DIFFERENCES.md)");
        }
        try {
            FileMapping m =
                    ch.process()
                            .mmap(ch.fd(), position - delta, size + delta, prot(mode), flags(mode));
            MappedByteBuffer root = m.buffer();
            return delta == 0 && root.capacity() == size ? root : root.slice(delta, (int) size);
        } catch (VfsException e) {
            throw Errors.translate(e, ch.path());
        }
    }

    /**
     * Maps {@code [position - delta, position + size)} through the kernel with {@code mapper},
     * where {@code delta} is {@link #delta}: the caller slices the requested range out of the
     * result.
     */
    static <T> T mapWith(
            AbstractPageVfsFileChannel ch,
            MapMode mode,
            long position,
            long size,
            int delta,
            HostMapper<T> mapper)
            throws IOException {
        try {
            return ch.process()
                    .mmap(ch.fd(), position - delta, size + delta, prot(mode), flags(mode), mapper);
        } catch (VfsException e) {
            throw Errors.translate(e, ch.path());
        }
    }

    /** How far {@code position} lies past the start of its page of the file's volume. */
    static int delta(AbstractPageVfsFileChannel ch, long position) throws IOException {
        return position == 0 ? 0 : (int) (position % ch.pageSize());
    }

    private static int prot(MapMode mode) {
        return mode == MapMode.READ_ONLY ? Mman.PROT_READ : Mman.PROT_READ | Mman.PROT_WRITE;
    }

    private static int flags(MapMode mode) {
        return mode == MapMode.PRIVATE ? Mman.MAP_PRIVATE : Mman.MAP_SHARED;
    }
}
