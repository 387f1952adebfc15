/**
 * Answers the mapping calls of QNX, illumos and the Linux sg driver on top of the PageVFS kernel.
 * Nothing is exported yet: the issue that builds the first bridge adds its package's export.
 */
module io.pagevfs.resmgr {
    requires transitive io.pagevfs.core;
}
