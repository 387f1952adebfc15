/**
 * Answers the mapping calls of QNX, illumos and the Linux sg driver on top of the PageVFS kernel.
 */
package io.pagevfs.resmgr;
