/** The java.nio.file provider over the PageVFS kernel (scheme pagevfs). */
package io.pagevfs.nio;
