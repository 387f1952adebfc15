package io.pagevfs.core;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A sparse table from page index to page, as a radix tree of 64-way nodes whose height grows with
 * the highest index held (like Linux's xarray).
 *
 * <p>Height 0 means the root is the page at index 0 itself, so a small file costs no node at all;
 * height {@code h} covers indices below {@code 64^h}. A missing entry is a hole. Not thread-safe:
 * the owning {@link HeapPageStore} guards it.
 */
final class PageTable {
    private static final int BITS = 6;
    private static final int FANOUT = 1 << BITS;
    private static final int MASK = FANOUT - 1;

    /** Null, a page (height 0) or an {@code Object[FANOUT]} node. */
    private @Nullable Object root;

    private int height;
    private long count;

    /** The number of pages held. */
    long count() {
        return count;
    }

    private static long capacity(int height) {
        return height >= 11 ? Long.MAX_VALUE : 1L << (BITS * height);
    }

    @Nullable byte[] get(long index) {
        if (index >= capacity(height)) {
            return null;
        }
        Object node = root;
        for (int level = height; level > 0 && node != null; level--) {
            node = ((Object[]) node)[slot(index, level)];
        }
        return (byte[]) node;
    }

    private static int slot(long index, int level) {
        return (int) (index >>> (BITS * (level - 1))) & MASK;
    }

    /** Stores {@code page} at {@code index}, where no page is held yet. */
    void put(long index, byte[] page) {
        while (index >= capacity(height)) {
            if (root != null) {
                Object[] node = new Object[FANOUT];
                node[0] = root;
                root = node;
            }
            height++;
        }
        if (height == 0) {
            root = page;
        } else {
            if (root == null) {
                root = new Object[FANOUT];
            }
            Object[] node = (Object[]) root;
            for (int level = height; level > 1; level--) {
                int s = slot(index, level);
                if (node[s] == null) {
                    node[s] = new Object[FANOUT];
                }
                node = (Object[]) node[s];
            }
            node[slot(index, 1)] = page;
        }
        count++;
    }

    /** Drops every page at or above {@code first}; returns how many were dropped. */
    long truncate(long first) {
        long before = count;
        if (first == 0) {
            root = null;
            height = 0;
            count = 0;
            return before;
        }
        if (root != null && height > 0 && first < capacity(height)) {
            count -= dropFrom((Object[]) root, height, first, 0);
        }
        shrink();
        return before - count;
    }

    /**
     * Drops the pages at or above {@code first} below {@code node}, whose first index is {@code
     * base}.
     */
    private static long dropFrom(Object[] node, int level, long first, long base) {
        long dropped = 0;
        long span = capacity(level - 1);
        for (int s = FANOUT - 1; s >= 0; s--) {
            long start = base + s * span;
            if (node[s] == null || start + span <= first) {
                if (start + span <= first) {
                    break;
                }
                continue;
            }
            if (start >= first) {
                dropped += level == 1 ? 1 : countBelow((Object[]) node[s], level - 1);
                node[s] = null;
            } else {
                Object[] child = (Object[]) node[s];
                dropped += dropFrom(child, level - 1, first, start);
                if (isEmpty(child)) {
                    node[s] = null;
                }
            }
        }
        return dropped;
    }

    private static long countBelow(Object[] node, int level) {
        long n = 0;
        for (Object child : node) {
            if (child != null) {
                n += level == 1 ? 1 : countBelow((Object[]) child, level - 1);
            }
        }
        return n;
    }

    private static boolean isEmpty(Object[] node) {
        for (Object child : node) {
            if (child != null) {
                return false;
            }
        }
        return true;
    }

    /** Lowers the height while only slot 0 of the root is in use. */
    private void shrink() {
        while (height > 0) {
            Object[] node = (Object[]) root;
            if (node == null) {
                height = 0;
                return;
            }
            for (int s = 1; s < FANOUT; s++) {
                if (node[s] != null) {
                    return;
                }
            }
            root = node[0];
            height--;
        }
    }

    /** Visits every held page in index order. */
    void forEach(PageVisitor visitor) {
        if (root != null) {
            visit(root, height, 0, visitor);
        }
    }

    private static void visit(Object node, int level, long base, PageVisitor visitor) {
        if (level == 0) {
            visitor.visit(base, (byte[]) node);
            return;
        }
        Object[] slots = (Object[]) node;
        long span = capacity(level - 1);
        for (int s = 0; s < FANOUT; s++) {
            if (slots[s] != null) {
                visit(slots[s], level - 1, base + s * span, visitor);
            }
        }
    }

    /** Receives the pages of a table in index order. */
    @FunctionalInterface
    interface PageVisitor {
        void visit(long index, byte[] page);
    }
}
