package io.pagevfs.core;

import java.nio.charset.StandardCharsets;

/** A symbolic link: an immutable target string. */
final class Symlink extends Inode {
    final String target;
    private final int byteLength;

    Symlink(Volume volume, String target, int uid, int gid, long now) {
        super(volume, Mode.S_IFLNK | 0777, uid, gid, now);
        this.target = target;
        this.byteLength = target.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    FileType type() {
        return FileType.SYMLINK;
    }

    @Override
    long size() {
        return byteLength;
    }
}
