package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The kernel's change events (Linux's fsnotify, as inotify reports it): one per {@link Vfs}.
 *
 * <p>A watched directory carries its {@link DirectoryWatch}es; every inode it names carries a
 * <em>watched name</em> (the directory and the name), so that a change to the inode, which knows
 * nothing of its names, can be reported to the watched directories naming it without a search.
 * Watched names exist only for entries of watched directories and change, like the entries, under
 * the tree write lock. Nobody watching costs one volatile read per change (the directory's watches
 * or the inode's watched names, both null) and a look at the empty queue when a system call lets go
 * of the tree lock.
 *
 * <p>Events are queued when the change is made, under whatever lock made it, and delivered in queue
 * order once the thread holds no tree lock: when the system call unlocks the tree ({@link
 * Vfs#lockTreeForWrite()}), or at once for writes, which hold no tree lock. One thread delivers at
 * a time, so listeners see changes in the order they were made.
 *
 * <p>What is reported, following inotify: CREATED and DELETED for names added and removed (a rename
 * is DELETED for the old name and CREATED for the new; a name a rename replaces gets no DELETED, as
 * inotify sends none); MODIFIED for a write of at least one byte or a truncate (IN_MODIFY) and a
 * change of mode, owner, times or extended attributes (IN_ATTRIB), once for every watched name of
 * the inode at that moment, so a file with hard links in two watched directories is reported in
 * both (inotify reports only the name it was reached by); the end of the watch when the directory
 * dies (rmdir, replaced by a rename, unmount of its volume). A write to a file with no name left
 * reports nothing.
 */
final class Notifier {
    /** An inode's entry {@code name} in the watched directory {@code dir}. */
    record WatchedName(Directory dir, String name) {}

    /** A queued event: the watches to tell (as they were), what happened, and to which name. */
    private record Notice(DirectoryWatch[] to, @Nullable ChangeKind kind, String name) {
        void deliver() {
            for (DirectoryWatch w : to) {
                w.deliver(kind, name);
            }
        }
    }

    private final ReentrantReadWriteLock tree;
    private final Queue<Notice> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();

    Notifier(ReentrantReadWriteLock tree) {
        this.tree = tree;
    }

    // ---- watches ------------------------------------------------------------------------------

    /**
     * inotify_add_watch(2) for {@link Process#watch}: the directory {@code path} names, following
     * symbolic links; it needs read permission (EACCES) and must be a directory (ENOTDIR).
     */
    static DirectoryWatch watch(Process p, int dirfd, String path, DirectoryListener listener)
            throws VfsException {
        Lock l = p.writeLock();
        try {
            Namei nd = p.namei("inotify_add_watch", dirfd, path).walkParent();
            Inode i = nd.lookupExisting(true);
            if (!(i instanceof Directory d)) {
                throw nd.error(Errno.ENOTDIR);
            }
            Errno e = Access.inodePermission(p.credentials(), d, Access.MAY_READ);
            if (e != null) {
                throw nd.error(e);
            }
            if (d.dead) {
                throw nd.error(Errno.ENOENT);
            }
            return p.vfs.notifier.add(new DirectoryWatch(p.vfs, d, listener));
        } finally {
            l.unlock();
        }
    }

    @GuardedBy("tree")
    private DirectoryWatch add(DirectoryWatch w) {
        Directory dir = w.dir;
        DirectoryWatch[] old = dir.watches;
        if (old == null) {
            dir.entries.forEach((name, child) -> addName(child, dir, name));
            dir.watches = new DirectoryWatch[] {w};
        } else {
            DirectoryWatch[] now = Arrays.copyOf(old, old.length + 1);
            now[old.length] = w;
            dir.watches = now;
        }
        return w;
    }

    /** Removes a closed watch; the last one of a directory takes its watched names along. */
    @GuardedBy("tree")
    void remove(DirectoryWatch w) {
        Directory dir = w.dir;
        DirectoryWatch[] old = dir.watches;
        if (old == null) {
            return; // the directory is gone: its watches went with it
        }
        DirectoryWatch[] now =
                Arrays.stream(old).filter(x -> x != w).toArray(DirectoryWatch[]::new);
        if (now.length == 0) {
            dir.watches = null;
            dir.entries.forEach((name, child) -> removeName(child, dir, name));
        } else {
            dir.watches = now;
        }
    }

    @GuardedBy("tree")
    private static void addName(Inode child, Directory dir, String name) {
        WatchedName n = new WatchedName(dir, name);
        WatchedName[] old = child.watchedNames;
        if (old == null) {
            child.watchedNames = new WatchedName[] {n};
        } else {
            WatchedName[] now = Arrays.copyOf(old, old.length + 1);
            now[old.length] = n;
            child.watchedNames = now;
        }
    }

    @GuardedBy("tree")
    private static void removeName(Inode child, Directory dir, String name) {
        WatchedName[] old = child.watchedNames;
        if (old == null) {
            return;
        }
        WatchedName[] now =
                Arrays.stream(old)
                        .filter(n -> n.dir() != dir || !n.name().equals(name))
                        .toArray(WatchedName[]::new);
        child.watchedNames = now.length == 0 ? null : now;
    }

    // ---- events -------------------------------------------------------------------------------

    /** {@code child} is now named {@code name} in {@code dir}. */
    @GuardedBy("tree")
    void linked(Directory dir, String name, Inode child) {
        DirectoryWatch[] to = dir.watches;
        if (to != null) {
            addName(child, dir, name);
            pending.add(new Notice(to, ChangeKind.CREATED, name));
        }
    }

    /**
     * {@code child} is no longer named {@code name} in {@code dir}; {@code report} is false for a
     * name a rename replaced.
     */
    @GuardedBy("tree")
    void unlinked(Directory dir, String name, Inode child, boolean report) {
        DirectoryWatch[] to = dir.watches;
        if (to != null) {
            removeName(child, dir, name);
            if (report) {
                pending.add(new Notice(to, ChangeKind.DELETED, name));
            }
        }
    }

    /** The directory died: its watches end (IN_DELETE_SELF, IN_IGNORED, or IN_UNMOUNT). */
    @GuardedBy("tree")
    void died(Directory dir) {
        DirectoryWatch[] to = dir.watches;
        if (to != null) {
            dir.watches = null;
            dir.entries.forEach((name, child) -> removeName(child, dir, name));
            for (DirectoryWatch w : to) {
                w.markEnded();
            }
            pending.add(new Notice(to, null, ""));
        }
    }

    /**
     * The content or attributes of {@code inode} changed. Any lock or none may be held. Returns
     * whether an event was queued.
     */
    boolean modified(Inode inode) {
        WatchedName[] names = inode.watchedNames;
        if (names == null) {
            return false;
        }
        boolean queued = false;
        for (WatchedName n : names) {
            DirectoryWatch[] to = n.dir().watches;
            if (to != null) {
                pending.add(new Notice(to, ChangeKind.MODIFIED, n.name()));
                queued = true;
            }
        }
        return queued;
    }

    /** {@link #modified}, then delivery if the thread holds no tree lock: for writes. */
    void modifiedNow(Inode inode) {
        if (modified(inode)) {
            deliver();
        }
    }

    /**
     * Delivers the queued events, in order, unless this thread holds the tree lock (then its unlock
     * delivers) or another thread is delivering (then that thread delivers these too: it looks at
     * the queue again after letting go).
     */
    void deliver() {
        while (!pending.isEmpty()
                && !tree.isWriteLockedByCurrentThread()
                && tree.getReadHoldCount() == 0
                && delivering.compareAndSet(false, true)) {
            try {
                for (Notice n = pending.poll(); n != null; n = pending.poll()) {
                    n.deliver();
                }
            } finally {
                delivering.set(false);
            }
        }
    }
}
