/**
 * The {@code java.nio.file} face of PageVFS: a provider for the {@code pagevfs} scheme whose
 * filesystems are views of a kernel ({@link io.pagevfs.core.Vfs}) bound to a process.
 *
 * <p>The provider is a translator: options are decoded once ({@code OpenOptions}), each operation
 * is one kernel call as the view's process, and errors are translated by one table ({@code Errors})
 * to the exceptions the JDK's Linux provider throws. No filesystem semantics live here.
 *
 * <p>Where the JDK's provider adds steps of its own around the system calls (UnixChannelFactory's
 * open, UnixFileSystem's copy and move, UnixUriUtils' URIs, FileChannelImpl's argument checks), the
 * provider takes the same steps; where those changed between JDK releases, {@code JdkBehaviour}
 * picks the running release's. The differential tests compare with the JDK on the same machine; the
 * deliberate differences are in docs/DIFFERENCES.md.
 */
package io.pagevfs.nio;
