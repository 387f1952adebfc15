package io.pagevfs.core;

import java.util.function.BiConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A directory's entries: an open-addressing hash table from name to inode that can be probed with a
 * slice of a path string, so that walking a path allocates nothing.
 *
 * <p>Linear probing with backward-shift deletion; the load factor stays at or below 1/2. Hashes are
 * {@link String#hashCode()}-compatible, so a stored key's cached hash is reused. Iteration order is
 * deterministic for a given history of operations. Not thread-safe: the Vfs tree lock guards it.
 */
final class DirTable {
    private static final int MIN_CAPACITY = 4;
    private static final String[] NO_KEYS = new String[0];
    private static final Inode[] NO_VALUES = new Inode[0];

    private String[] keys = NO_KEYS;
    private Inode[] values = NO_VALUES;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** The hash of {@code s[start, end)}, equal to that substring's {@code hashCode()}. */
    static int hash(String s, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    @Nullable Inode get(String name) {
        return get(name, 0, name.length());
    }

    /** The inode named by {@code path[start, end)}, or null. */
    @Nullable Inode get(String path, int start, int end) {
        return get(path, start, end, hash(path, start, end));
    }

    /**
     * The inode named by {@code path[start, end)}, whose {@link #hash} the caller computed while
     * scanning the path, or null.
     */
    @Nullable Inode get(String path, int start, int end, int hash) {
        if (size == 0) {
            return null;
        }
        int len = end - start;
        int mask = keys.length - 1;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return null;
            }
            if (k.hashCode() == hash && k.length() == len && k.regionMatches(0, path, start, len)) {
                return values[i];
            }
        }
    }

    /** Adds or replaces the entry {@code name}. */
    void put(String name, Inode inode) {
        if ((size + 1) * 2 > keys.length) {
            resize(Math.max(MIN_CAPACITY, keys.length * 2));
        }
        int mask = keys.length - 1;
        for (int i = spread(name.hashCode()) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == null) {
                keys[i] = name;
                values[i] = inode;
                size++;
                return;
            }
            if (keys[i].equals(name)) {
                values[i] = inode;
                return;
            }
        }
    }

    /** Removes the entry {@code name}; returns the inode it named, or null. */
    @Nullable Inode remove(String name) {
        if (size == 0) {
            return null;
        }
        int mask = keys.length - 1;
        int i = spread(name.hashCode()) & mask;
        while (keys[i] != null && !keys[i].equals(name)) {
            i = (i + 1) & mask;
        }
        if (keys[i] == null) {
            return null;
        }
        Inode removed = values[i];
        deleteSlot(i, mask);
        size--;
        if (size == 0 && keys.length > MIN_CAPACITY) {
            // An emptied table gives its arrays back, except the smallest, which a directory
            // whose only file comes and goes (a lock file, a create-write-delete loop) keeps
            // rather than reallocating each time.
            keys = NO_KEYS;
            values = NO_VALUES;
        }
        return removed;
    }

    /** Backward-shift deletion: moves later entries of the probe run into the gap. */
    private void deleteSlot(int gap, int mask) {
        for (int j = (gap + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = spread(keys[j].hashCode()) & mask;
            boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
            if (movable) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        keys[gap] = null;
        values[gap] = null;
    }

    private void resize(int capacity) {
        String[] oldKeys = keys;
        Inode[] oldValues = values;
        keys = new String[capacity];
        values = new Inode[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    void forEach(BiConsumer<String, Inode> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept(keys[i], values[i]);
            }
        }
    }
}
