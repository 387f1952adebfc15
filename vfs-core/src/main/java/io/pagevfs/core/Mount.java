package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One entry of the mount table: a volume's directory ({@link #root}, the volume root or a bind
 * source) attached at a directory of a parent mount. Locations in the tree are (mount, inode)
 * pairs, as Linux's (vfsmount, dentry).
 */
final class Mount {
    final int id;
    final Volume volume;
    final Directory root;
    final @Nullable Mount parent;
    final @Nullable Directory mountpoint;

    @GuardedBy("Vfs.tree")
    private Set<MountFlag> flags;

    /**
     * {@link #flags} as one bit per ordinal: the form the per-call checks ({@link #has}, {@link
     * #isReadOnly}) test, which is cheaper than a set lookup.
     */
    @GuardedBy("Vfs.tree")
    private int flagBits;

    @GuardedBy("Vfs.tree")
    private @Nullable Map<Directory, Mount> children;

    /** Open file descriptions through this mount, and how many of them may write. */
    @GuardedBy("this")
    int openCount;

    @GuardedBy("this")
    int writerCount;

    Mount(
            int id,
            Volume volume,
            Directory root,
            @Nullable Mount parent,
            @Nullable Directory mountpoint,
            Set<MountFlag> flags) {
        this.id = id;
        this.volume = volume;
        this.root = root;
        this.parent = parent;
        this.mountpoint = mountpoint;
        setFlags(flags);
    }

    private static Set<MountFlag> immutable(Set<MountFlag> flags) {
        return flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    Set<MountFlag> flags() {
        return flags;
    }

    void setFlags(Set<MountFlag> newFlags) {
        flags = immutable(newFlags);
        int bits = 0;
        for (MountFlag f : flags) {
            bits |= bit(f);
        }
        flagBits = bits;
    }

    private static int bit(MountFlag flag) {
        return 1 << flag.ordinal();
    }

    boolean has(MountFlag flag) {
        return (flagBits & bit(flag)) != 0;
    }

    /** Whether writes are refused here: this mount's flag or its volume's superblock flag. */
    boolean isReadOnly() {
        return has(MountFlag.READ_ONLY) || volume.readOnly;
    }

    @Nullable Mount childAt(Directory dir) {
        return children == null ? null : children.get(dir);
    }

    void attachChild(Directory dir, Mount child) {
        if (children == null) {
            children = new IdentityHashMap<>(4);
        }
        children.put(dir, child);
    }

    void detachChild(Directory dir) {
        if (children != null) {
            children.remove(dir);
        }
    }

    boolean hasChildren() {
        return children != null && !children.isEmpty();
    }

    synchronized void opened(boolean writer) {
        openCount++;
        if (writer) {
            writerCount++;
        }
    }

    synchronized void closed(boolean writer) {
        openCount--;
        if (writer) {
            writerCount--;
        }
    }

    synchronized boolean hasWriters() {
        return writerCount > 0;
    }

    synchronized boolean hasOpenFiles() {
        return openCount > 0;
    }

    @Override
    public String toString() {
        return "mount#" + id + "(" + volume + ")";
    }
}
