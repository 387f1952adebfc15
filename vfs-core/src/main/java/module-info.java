/** The PageVFS kernel model: inodes, volumes, mounts, processes, permissions and page storage. */
module io.pagevfs.core {
    requires com.google.common;
    requires static transitive org.checkerframework.checker.qual;
    requires static com.google.errorprone.annotations;

    exports io.pagevfs.core;
}
