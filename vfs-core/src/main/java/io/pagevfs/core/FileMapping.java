package io.pagevfs.core;

import java.nio.MappedByteBuffer;

/**
 * A mapping made by {@link Process#mmap}: the file range {@code [offset, offset + length)} as a
 * genuine {@link MappedByteBuffer} (the JDK's own, over host shared memory), coherent with every
 * read, write and other shared mapping of the file. MAP_PRIVATE mappings are copy-on-write.
 *
 * <p>The mapping lives as long as its buffer, or any slice or duplicate of it, is reachable; it
 * keeps its open file description alive until then, as on Linux. Pages wholly beyond the file's end
 * read zeros and what is written there is not part of the file (see docs/DIFFERENCES.md).
 */
public final class FileMapping {
    private final MappedByteBuffer buffer;
    private final long offset;
    private final int prot;
    private final int flags;

    FileMapping(MappedByteBuffer buffer, long offset, int prot, int flags) {
        this.buffer = buffer;
        this.offset = offset;
        this.prot = prot;
        this.flags = flags;
    }

    /**
     * The mapped bytes; read-only unless the mapping has PROT_WRITE. PROT_NONE mappings have no
     * accessible buffer (IllegalStateException).
     */
    public MappedByteBuffer buffer() {
        if ((prot & (Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC)) == 0) {
            throw new IllegalStateException("a PROT_NONE mapping cannot be accessed");
        }
        return buffer;
    }

    public long offset() {
        return offset;
    }

    public int length() {
        return buffer.capacity();
    }

    public int prot() {
        return prot;
    }

    public boolean isShared() {
        return (flags & Mman.MAP_TYPE) != Mman.MAP_PRIVATE;
    }

    @Override
    public String toString() {
        return "FileMapping[offset="
                + offset
                + ", length="
                + length()
                + ", prot="
                + prot
                + (isShared() ? ", shared" : ", private")
                + "]";
    }
}
