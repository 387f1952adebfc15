package io.pagevfs.core;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The kernel's invariants, as the package documentation states them, checked over the whole tree.
 * Called with the tree write lock held.
 */
final class Invariants {
    private Invariants() {}

    @SuppressWarnings("GuardedBy")
    static void check(Vfs vfs) {
        Map<Inode, Integer> names = new IdentityHashMap<>();
        Map<Volume, Long> pages = new IdentityHashMap<>();
        Deque<Directory> todo = new ArrayDeque<>();
        for (Mount m : vfs.mountList()) {
            todo.push(m.volume.root);
        }
        Map<Directory, Boolean> seen = new IdentityHashMap<>();
        while (!todo.isEmpty()) {
            Directory d = todo.pop();
            if (seen.put(d, true) != null) {
                continue;
            }
            int[] subdirs = {0};
            d.entries.forEach(
                    (name, child) -> {
                        require(
                                !name.isEmpty()
                                        && name.indexOf('/') < 0
                                        && !name.equals(".")
                                        && !name.equals(".."),
                                "bad entry name '%s'",
                                name);
                        require(
                                child.volume == d.volume,
                                "%s in %s belongs to another volume",
                                child,
                                d);
                        names.merge(child, 1, Integer::sum);
                        if (child instanceof Directory c) {
                            subdirs[0]++;
                            require(c.parent == d, "%s's parent is not %s", c, d);
                            require(!c.dead, "%s is removed but still named", c);
                            todo.push(c);
                        }
                    });
            checkWatches(d);
            synchronized (d) {
                require(
                        d.nlink == 2 + subdirs[0],
                        "%s has nlink %s, expected %s",
                        d,
                        d.nlink,
                        2 + subdirs[0]);
            }
        }
        names.forEach(
                (inode, count) -> {
                    checkWatchedNames(inode);
                    synchronized (inode) {
                        if (!inode.isDirectory()) {
                            require(
                                    inode.nlink == count,
                                    "%s has nlink %s but %s names",
                                    inode,
                                    inode.nlink,
                                    count);
                        }
                        if (inode instanceof RegularFile f) {
                            require(
                                    f.contentConsistent(),
                                    "%s holds pages or bytes beyond its size",
                                    f);
                            pages.merge(f.volume, f.pagesHeld(), Long::sum);
                        }
                    }
                });
        // Unlinked files that are still open, or still mapped, hold pages too.
        Map<Inode, Boolean> unnamed = new IdentityHashMap<>();
        for (Process p : vfs.processes()) {
            for (int fd : p.fds.fds()) {
                OpenFile f = p.fds.get(fd);
                if (f != null
                        && f.inode instanceof RegularFile r
                        && !names.containsKey(r)
                        && unnamed.put(r, true) == null) {
                    pages.merge(r.volume, r.pagesHeld(), Long::sum);
                }
            }
        }
        for (RegularFile r : vfs.mappedFiles()) {
            if (!names.containsKey(r) && unnamed.put(r, true) == null) {
                pages.merge(r.volume, r.pagesHeld(), Long::sum);
            }
            require(r.contentConsistent(), "%s breaks the truncate guard or its charge", r);
        }
        for (Mount m : vfs.mountList()) {
            Volume v = m.volume;
            long counted = pages.getOrDefault(v, 0L);
            require(
                    v.pool.pagesInUse() == counted,
                    "volume %s counts %s pages but its files hold %s",
                    v,
                    v.pool.pagesInUse(),
                    counted);
            require(v.pool.pagesInUse() <= v.pool.limitPages(), "volume %s is over its limit", v);
        }
    }

    /**
     * A watched directory is alive and every entry of it carries its watched name (the Notifier's
     * reverse index).
     */
    @SuppressWarnings("GuardedBy")
    private static void checkWatches(Directory d) {
        if (d.watches == null) {
            return;
        }
        require(!d.dead, "%s is removed but still watched", d);
        d.entries.forEach(
                (name, child) -> {
                    Notifier.WatchedName[] names = child.watchedNames;
                    require(
                            names != null
                                    && Arrays.asList(names)
                                            .contains(new Notifier.WatchedName(d, name)),
                            "%s named '%s' in watched %s has no watched name for it",
                            child,
                            name,
                            d);
                });
    }

    /** Every watched name of an inode is a real entry of a watched directory. */
    @SuppressWarnings("GuardedBy")
    private static void checkWatchedNames(Inode inode) {
        Notifier.WatchedName[] names = inode.watchedNames;
        if (names == null) {
            return;
        }
        require(names.length > 0, "%s has an empty watched-name list", inode);
        for (Notifier.WatchedName n : names) {
            require(n.dir().watches != null, "%s has a watched name in unwatched %s", inode, n);
            require(
                    n.dir().entries.get(n.name()) == inode,
                    "%s has a stale watched name %s",
                    inode,
                    n);
        }
    }

    private static void require(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new IllegalStateException("invariant violated: " + String.format(format, args));
        }
    }
}
