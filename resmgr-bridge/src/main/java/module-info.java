/**
 * Answers the mapping calls of QNX, illumos and the Linux sg driver on top of the PageVFS kernel.
 */
module io.pagevfs.resmgr {
    requires transitive io.pagevfs.core;

    // exports io.pagevfs.resmgr once the package has its first type (the issue that builds it adds it)
}
