package io.pagevfs.nio;

import io.pagevfs.core.FsStat;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * A mount as a FileStore: named after its volume, type "pagevfs", sizes from the volume's memory
 * limit and usage (fresh on every call), block size = page size, read-only per mount.
 */
final class PageVfsFileStore extends FileStore {
    private final PageVfsFileSystem fs;
    private final String path;
    private final FsStat first;

    PageVfsFileStore(PageVfsFileSystem fs, String path, FsStat stat) {
        this.fs = fs;
        this.path = path;
        this.first = stat;
    }

    private FsStat now() throws IOException {
        fs.ensureOpen();
        try {
            return fs.process().statfs(path);
        } catch (VfsException e) {
            throw Errors.translate(e, path);
        }
    }

    @Override
    public String name() {
        return first.name();
    }

    @Override
    public String type() {
        return "pagevfs";
    }

    @Override
    public boolean isReadOnly() {
        try {
            return now().readOnly();
        } catch (IOException e) {
            return first.readOnly();
        }
    }

    @Override
    public long getTotalSpace() throws IOException {
        return now().totalBytes();
    }

    @Override
    public long getUsableSpace() throws IOException {
        return now().freeBytes();
    }

    @Override
    public long getUnallocatedSpace() throws IOException {
        return now().freeBytes();
    }

    @Override
    public long getBlockSize() {
        return first.blockSize();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class
                || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class
                || type == UserDefinedFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return Attributes.VIEWS.contains(name);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    /**
     * "totalSpace", "usableSpace", "unallocatedSpace", and "pagevfs:pageSize", "pagevfs:usedPages",
     * "pagevfs:readOnly".
     */
    @Override
    public Object getAttribute(String attribute) throws IOException {
        FsStat st = now();
        return switch (attribute) {
            case "totalSpace" -> st.totalBytes();
            case "usableSpace", "unallocatedSpace" -> st.freeBytes();
            case "pagevfs:pageSize" -> st.blockSize();
            case "pagevfs:usedPages" -> st.usedBlocks();
            case "pagevfs:readOnly" -> st.readOnly();
            default ->
                    throw new UnsupportedOperationException("'" + attribute + "' not recognized");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageVfsFileStore s
                && s.fs.kernel() == fs.kernel()
                && s.first.dev() == first.dev()
                && s.first.flags().equals(first.flags());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(first.dev());
    }

    @Override
    public String toString() {
        return path + " (" + first.name() + ")";
    }
}
