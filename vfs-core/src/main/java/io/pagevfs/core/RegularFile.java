package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A regular file: a size and a {@link PageStore}, created on the first write so that an empty file
 * holds no storage object at all. All methods run under this inode's monitor.
 */
final class RegularFile extends Inode {
    @GuardedBy("this")
    private long size;

    @GuardedBy("this")
    private @Nullable PageStore content;

    RegularFile(Volume volume, int perms, int uid, int gid, long now) {
        super(volume, Mode.S_IFREG | perms, uid, gid, now);
    }

    @Override
    FileType type() {
        return FileType.REGULAR;
    }

    @Override
    synchronized long size() {
        return size;
    }

    @Override
    synchronized long pagesHeld() {
        return content == null ? 0 : content.pagesHeld();
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code pos}; returns the count, 0 at EOF. */
    synchronized int read(long pos, ByteBuffer dst) throws IOException {
        if (pos >= size) {
            return 0;
        }
        int n = (int) Math.min(dst.remaining(), size - pos);
        if (content == null) {
            // A never-written file of non-zero size is all hole.
            for (int i = 0; i < n; i++) {
                dst.put((byte) 0);
            }
        } else {
            content.read(pos, dst, n);
        }
        return n;
    }

    /**
     * Writes all of {@code src} at {@code pos} (the caller has checked the size limit). Returns
     * false, having changed nothing, when the volume has no room for the pages needed.
     */
    synchronized boolean write(long pos, ByteBuffer src, long now) throws IOException {
        int n = src.remaining();
        if (content == null) {
            content = volume.newPageStore();
        }
        if (!content.write(pos, src)) {
            return false;
        }
        if (n > 0) {
            size = Math.max(size, pos + n);
        }
        mtime = now;
        ctime = now;
        return true;
    }

    /** Sets the size, freeing the pages beyond it; growth reads as zeros (a hole). */
    synchronized void truncate(long newSize, long now) throws IOException {
        if (content != null && (newSize < size || content instanceof HostPageStore)) {
            content.truncate(newSize);
        }
        size = newSize;
        mtime = now;
        ctime = now;
    }

    /**
     * Maps {@code [offset, offset + length)} of the file with {@code mapper}, promoting its content
     * to host memory on the first mapping, and registers the mapping (made through {@code
     * openFile}, already retained for it) with the truncate guard before the monitor is released.
     * Returns null when the volume or host cannot back the mapping.
     */
    synchronized <T> @Nullable T map(
            Vfs vfs,
            OpenFile openFile,
            HostMemory memory,
            FileChannel.MapMode mode,
            long offset,
            long length,
            HostMapper<T> mapper)
            throws IOException {
        if (!(content instanceof HostPageStore)) {
            HostPageStore promoted =
                    HostPageStore.promote(volume.pool, memory, (HeapPageStore) content, size);
            if (promoted == null) {
                return null;
            }
            content = promoted;
        }
        T mapping = ((HostPageStore) content).map(mode, offset, length, mapper);
        if (mapping != null) {
            vfs.track(
                    Objects.requireNonNull(mapper.lifetime(mapping), "lifetime"),
                    mapper.accessible(),
                    this,
                    openFile,
                    offset + length);
        }
        return mapping;
    }

    synchronized void addMapping(MappingRef ref) {
        ((HostPageStore) content).addLive(ref);
    }

    synchronized void forgetMapping(MappingRef ref) throws IOException {
        if (content instanceof HostPageStore host) {
            host.forget(ref);
        }
    }

    /** Releases the content whatever holds it (the Vfs is closing). */
    synchronized void forceRelease() {
        if (content != null) {
            content.releaseAll();
            content = null;
        }
    }

    @Override
    @GuardedBy("this")
    void releaseIfUnused() {
        if (nlink == 0 && openCount == 0 && content != null) {
            content.releaseAll();
            content = null;
        }
    }

    /** For invariant checks: the content obeys the PageStore invariant for the current size. */
    synchronized boolean contentConsistent() {
        if (content instanceof HostPageStore host) {
            return host.guardHolds();
        }
        return content == null || ((HeapPageStore) content).zeroBeyond(size);
    }
}
