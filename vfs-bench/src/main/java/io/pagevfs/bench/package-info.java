/** JMH benchmarks of PageVFS against Jimfs, memoryfilesystem and the JDK provider. */
package io.pagevfs.bench;
