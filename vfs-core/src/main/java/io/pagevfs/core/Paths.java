package io.pagevfs.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Names of locations, built by climbing parent links (for getcwd and the mount table). */
final class Paths {
    private Paths() {}

    /** The name {@code child} has in {@code parent}, or null if it has none there. */
    static String nameIn(Directory parent, Inode child) {
        String[] found = {null};
        parent.entries.forEach(
                (name, inode) -> {
                    if (inode == child && found[0] == null) {
                        found[0] = name;
                    }
                });
        return found[0];
    }

    /** The path of {@code dir} inside its own volume. */
    static String inVolume(Directory dir) {
        List<String> names = new ArrayList<>();
        for (Directory d = dir; d.parent != d; d = d.parent) {
            names.add(nameIn(d.parent, d));
        }
        return join(names);
    }

    /** The global path of the directory a mount is attached at ("/" for the root mount). */
    static String mountPoint(Mount m) {
        return m.parent == null ? "/" : path(m.parent, m.mountpoint, null, null);
    }

    /**
     * The path of (mount, dir) as seen from (rootMount, rootDir), or null if it lies outside that
     * root or has been removed.
     */
    static String path(Mount mount, Directory dir, Mount rootMount, Directory rootDir) {
        List<String> names = new ArrayList<>();
        while (!(mount == rootMount && dir == rootDir)) {
            if (dir == mount.root) {
                if (mount.parent == null) {
                    return rootMount == null ? join(names) : null;
                }
                dir = mount.mountpoint;
                mount = mount.parent;
                continue;
            }
            String name = nameIn(dir.parent, dir);
            if (name == null) {
                return null;
            }
            names.add(name);
            dir = dir.parent;
        }
        return join(names);
    }

    private static String join(List<String> reversed) {
        if (reversed.isEmpty()) {
            return "/";
        }
        Collections.reverse(reversed);
        return "/" + String.join("/", reversed);
    }
}
