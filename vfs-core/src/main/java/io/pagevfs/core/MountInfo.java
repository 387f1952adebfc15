package io.pagevfs.core;

import java.util.Set;

/** One line of the mount table, as /proc/self/mountinfo would show it. */
public record MountInfo(
        int id,
        int parentId,
        String mountPoint,
        String volume,
        String root,
        Set<MountFlag> flags,
        boolean volumeReadOnly) {}
