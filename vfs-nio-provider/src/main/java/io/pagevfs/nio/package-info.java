/**
 * The {@code java.nio.file} face of PageVFS: a provider for the {@code pagevfs} scheme whose
 * filesystems are views of a kernel ({@link io.pagevfs.core.Vfs}) bound to a process.
 *
 * <p>The provider is a translator: options are decoded once ({@code OpenOptions}), each operation
 * is one kernel call as the view's process, and errors are translated by one table ({@code Errors})
 * to the exceptions the JDK's Linux provider throws. No filesystem semantics live here.
 */
package io.pagevfs.nio;
