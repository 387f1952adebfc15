/** The java.nio.file provider over the PageVFS kernel (scheme pagevfs). */
module io.pagevfs.nio {
    requires transitive io.pagevfs.core;

    // exports io.pagevfs.nio once the package has its first type (the issue that builds it adds it)
}
