package io.pagevfs.core;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/**
 * Tracks one live mapping: it becomes enqueued when the mapping's root buffer (which every slice
 * and duplicate keeps reachable) is unreachable. Until then it keeps the mapped file's open file
 * description (and so the file, and its mount's writer count) alive, as a Linux mapping holds its
 * struct file.
 */
final class MappingRef extends PhantomReference<Object> {
    final RegularFile file;
    final OpenFile openFile;
    final long end;

    MappingRef(
            Object buffer,
            ReferenceQueue<Object> queue,
            RegularFile file,
            OpenFile openFile,
            long end) {
        super(buffer, queue);
        this.file = file;
        this.openFile = openFile;
        this.end = end;
    }
}
