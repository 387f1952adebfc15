/** The java.nio.file provider over the PageVFS kernel (scheme pagevfs). */
module io.pagevfs.nio {
    requires transitive io.pagevfs.core;
    requires com.google.common;
    requires static org.checkerframework.checker.qual;
    requires static com.google.errorprone.annotations;

    exports io.pagevfs.nio;

    provides java.nio.file.spi.FileSystemProvider with
            io.pagevfs.nio.PageVfsFileSystemProvider;
}
