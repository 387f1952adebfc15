package io.pagevfs.core;

import com.google.common.base.Preconditions;

/**
 * What a new volume is made of: a name (what {@code df} would show as the source), its memory limit
 * in bytes, its page geometry, and the mode and owner of its root directory (by default {@code
 * 1777} owned by root, as tmpfs).
 */
public record VolumeSpec(
        String name,
        long memoryLimit,
        PageGeometry geometry,
        int rootMode,
        int rootUid,
        int rootGid) {
    public VolumeSpec {
        Preconditions.checkNotNull(name, "name");
        Preconditions.checkNotNull(geometry, "geometry");
        Preconditions.checkArgument(!name.isEmpty(), "volume name must not be empty");
        Preconditions.checkArgument(
                memoryLimit >= 0, "memory limit must not be negative: %s", memoryLimit);
        Preconditions.checkArgument(
                (rootMode & ~Mode.PERMISSION_BITS) == 0,
                "root mode must be permission bits only: 0%s",
                Integer.toOctalString(rootMode));
        Preconditions.checkArgument(
                rootUid >= 0 && rootGid >= 0, "root owner ids must not be negative");
    }

    /**
     * A volume named {@code name} with 4 KiB pages, the given limit, and a root-owned 1777 root.
     */
    public static VolumeSpec of(String name, long memoryLimit) {
        return new VolumeSpec(name, memoryLimit, PageGeometry.DEFAULT, 01777, 0, 0);
    }

    public VolumeSpec withGeometry(PageGeometry g) {
        return new VolumeSpec(name, memoryLimit, g, rootMode, rootUid, rootGid);
    }

    public VolumeSpec withMemoryLimit(long limit) {
        return new VolumeSpec(name, limit, geometry, rootMode, rootUid, rootGid);
    }

    public VolumeSpec withRoot(int mode, int uid, int gid) {
        return new VolumeSpec(name, memoryLimit, geometry, mode, uid, gid);
    }
}
