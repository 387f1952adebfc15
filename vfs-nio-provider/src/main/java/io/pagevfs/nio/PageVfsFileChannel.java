package io.pagevfs.nio;

/**
 * The FileChannel the provider hands out; see {@link AbstractPageVfsFileChannel} for everything it
 * does. The multi-release jar holds a JDK 22+ version of this class (src/main/java22) that adds
 * {@code FileChannel.map(MapMode, long, long, Arena)}; keep the two constructors in step.
 */
final class PageVfsFileChannel extends AbstractPageVfsFileChannel {
    PageVfsFileChannel(PageVfsPath path, int fd, OpenOptions options) {
        super(path, fd, options);
    }
}
