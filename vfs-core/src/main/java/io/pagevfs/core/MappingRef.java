package io.pagevfs.core;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.function.Predicate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Tracks one live mapping: it becomes enqueued when the mapping's lifetime object (the root buffer,
 * which every slice and duplicate keeps reachable, or a memory segment's scope; see {@link
 * HostMapper#lifetime}) is unreachable. Until then it keeps the mapped file's open file description
 * (and so the file, and its mount's writer count) alive, as a Linux mapping holds its struct file.
 */
final class MappingRef extends PhantomReference<Object> {
    final RegularFile file;
    final OpenFile openFile;
    final long end;

    /** The lifetime object, for {@link #accessible}; null when the mapping has no such test. */
    private final @Nullable WeakReference<Object> weak;

    private final @Nullable Predicate<Object> accessible;

    /** The host store that counts this mapping as live, or null; guarded by the file's monitor. */
    @Nullable HostPageStore store;

    MappingRef(
            Object lifetime,
            @Nullable Predicate<Object> accessible,
            ReferenceQueue<Object> queue,
            RegularFile file,
            OpenFile openFile,
            long end) {
        super(lifetime, queue);
        this.file = file;
        this.openFile = openFile;
        this.end = end;
        this.accessible = accessible;
        this.weak = accessible == null ? null : new WeakReference<>(lifetime);
    }

    /** Whether the mapping may be unmapped before it becomes unreachable (a closeable arena). */
    boolean closeable() {
        return accessible != null;
    }

    /**
     * False once the mapping can no longer be accessed: its lifetime object was collected, or the
     * mapper's test says it was unmapped. True until then (conservatively, while unsure).
     */
    boolean accessible() {
        if (accessible == null) {
            return true;
        }
        Object o = weak.get();
        return o != null && accessible.test(o);
    }
}
