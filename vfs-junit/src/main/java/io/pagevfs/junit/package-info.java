/**
 * JUnit 5 support: {@code @TempDir(factory = PageVfsTempDirFactory.class)} directories in a fresh
 * PageVFS.
 */
package io.pagevfs.junit;
