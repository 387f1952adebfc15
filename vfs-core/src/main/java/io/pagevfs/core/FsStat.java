package io.pagevfs.core;

import java.util.Set;

/**
 * What statfs(2) reports about the mount holding a path: sizes in units of {@code blockSize} (the
 * page size), the mount's flags and its volume's name and device number.
 */
public record FsStat(
        String name,
        long dev,
        int blockSize,
        long totalBlocks,
        long freeBlocks,
        long usedBlocks,
        int nameMax,
        Set<MountFlag> flags,
        boolean readOnly) {

    public long totalBytes() {
        return totalBlocks * blockSize;
    }

    public long freeBytes() {
        return freeBlocks * blockSize;
    }
}
