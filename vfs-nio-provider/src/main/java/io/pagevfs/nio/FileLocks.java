package io.pagevfs.nio;

import io.pagevfs.core.Process;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FileLocks one view (one process) holds, by file, for the JDK's in-process contract: any
 * overlap with a lock this process already holds on the file, shared or not, through any channel,
 * is an OverlappingFileLockException (as the JDK's FileLockTable). Between processes the kernel's
 * range locks really conflict.
 */
final class FileLocks {
    private final Map<Object, List<PageVfsFileLock>> byFile = new HashMap<>();

    /**
     * Reserves the range for {@code lock} in this process, or throws OverlappingFileLockException.
     */
    synchronized void add(Object fileKey, PageVfsFileLock lock) {
        List<PageVfsFileLock> held = byFile.computeIfAbsent(fileKey, k -> new ArrayList<>());
        for (PageVfsFileLock other : held) {
            if (other.overlaps(lock.position(), lock.size())) {
                throw new OverlappingFileLockException();
            }
        }
        held.add(lock);
    }

    synchronized void remove(Object fileKey, PageVfsFileLock lock) {
        List<PageVfsFileLock> held = byFile.get(fileKey);
        if (held != null && held.remove(lock) && held.isEmpty()) {
            byFile.remove(fileKey);
        }
    }

    /**
     * A lock on a range of a PageVFS file, held through the kernel by the channel's open file
     * description.
     */
    static final class PageVfsFileLock extends FileLock {
        private final Object fileKey;
        private final FileLocks table;
        private final Process process;
        private final int fd;
        private final long length;
        private volatile boolean valid = true;

        PageVfsFileLock(
                AbstractPageVfsFileChannel channel,
                long position,
                long size,
                boolean shared,
                Object fileKey,
                FileLocks table,
                long length) {
            super(channel, position, size, shared);
            this.fileKey = fileKey;
            this.table = table;
            this.process = channel.process();
            this.fd = channel.fd();
            this.length = length;
        }

        @Override
        public boolean isValid() {
            return valid && channel().isOpen();
        }

        /** The channel was closed: its description's locks went with it. */
        void invalidate() {
            if (valid) {
                valid = false;
                table.remove(fileKey, this);
                ((AbstractPageVfsFileChannel) channel()).forget(this);
            }
        }

        @Override
        public void release() throws IOException {
            if (!channel().isOpen()) {
                throw new java.nio.channels.ClosedChannelException();
            }
            if (!valid) {
                return;
            }
            try {
                process.unlockRange(fd, position(), length);
            } catch (VfsException e) {
                throw Errors.translate(e, ((AbstractPageVfsFileChannel) channel()).path());
            } finally {
                invalidate();
            }
        }
    }
}
