package io.pagevfs.core;

/** A character or block device node; its behaviour comes from the Vfs's device registry. */
final class DeviceNode extends Inode {
    private final long rdev;

    DeviceNode(Volume volume, int mode, long rdev, int uid, int gid, long now) {
        super(volume, mode, uid, gid, now);
        this.rdev = rdev;
    }

    @Override
    FileType type() {
        return FileType.ofMode(mode);
    }

    @Override
    long size() {
        return 0;
    }

    @Override
    long rdev() {
        return rdev;
    }
}
