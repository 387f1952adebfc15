/** JUnit 5 support: @TempDir directories in a fresh PageVFS. */
package io.pagevfs.junit;
