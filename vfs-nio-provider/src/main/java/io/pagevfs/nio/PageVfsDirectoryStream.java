package io.pagevfs.nio;

import io.pagevfs.core.DirEntry;
import io.pagevfs.core.Process;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A directory stream over a directory descriptor. The entries are read once, when the iterator is
 * made (a snapshot, as a single getdents of a small directory would be); the descriptor stays open
 * until the stream is closed, so a secure stream can act relative to it.
 */
class PageVfsDirectoryStream implements DirectoryStream<Path> {
    final PageVfsPath dir;
    final Process process;
    final int fd;
    private final Filter<? super Path> filter;
    private volatile boolean open = true;
    private boolean iterated;

    PageVfsDirectoryStream(PageVfsPath dir, int fd, Filter<? super Path> filter) {
        this.dir = dir;
        this.process = dir.getFileSystem().process();
        this.fd = fd;
        this.filter = filter;
    }

    boolean isOpen() {
        return open;
    }

    void ensureOpen() {
        if (!open) {
            throw new ClosedDirectoryStreamException();
        }
    }

    @Override
    public synchronized Iterator<Path> iterator() {
        ensureOpen();
        if (iterated) {
            throw new IllegalStateException("iterator already obtained");
        }
        iterated = true;
        List<DirEntry> entries;
        try {
            entries = process.readdir(fd);
        } catch (VfsException e) {
            throw new DirectoryIteratorException(Errors.translate(e, dir));
        }
        return new Iterator<>() {
            private int next;
            private Path pending;

            @Override
            public boolean hasNext() {
                while (pending == null && open && next < entries.size()) {
                    Path p = dir.resolve(entries.get(next++).name());
                    try {
                        if (filter.accept(p)) {
                            pending = p;
                        }
                    } catch (IOException e) {
                        throw new DirectoryIteratorException(e);
                    }
                }
                return pending != null;
            }

            @Override
            public Path next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Path p = pending;
                pending = null;
                return p;
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        dir.getFileSystem().untrack(this);
        try {
            process.close(fd);
        } catch (VfsException e) {
            if (process.isAlive()) {
                throw Errors.translate(e, dir);
            }
        }
    }
}
