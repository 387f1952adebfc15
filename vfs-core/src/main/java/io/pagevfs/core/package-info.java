/**
 * The PageVFS kernel: a small Linux-like filesystem model in the JVM.
 *
 * <h2>Model</h2>
 *
 * <p>A {@link io.pagevfs.core.Vfs} is one machine. Its <em>volumes</em> (superblocks) each hold a
 * tree of inodes (regular files, directories, symbolic links, device nodes) and a page pool with
 * their own memory limit. The <em>mount table</em> attaches volumes, or directories of volumes
 * (bind mounts), at directories; a location in the namespace is a (mount, inode) pair, so the same
 * directory seen through two mounts can carry different flags (read-only, noexec, nosuid, nodev). A
 * {@link io.pagevfs.core.Process} is the unit of identity: credentials for every permission check,
 * a umask, a working directory and a root, and a descriptor table of open file descriptions (shared
 * across dup and fork, holding the access mode, status flags and offset). Its methods are the
 * system calls, and each refuses bad requests with the errno Linux would give, changing nothing.
 *
 * <h2>Pages</h2>
 *
 * <p>Regular-file content is a sparse table of pages of the volume's {@link
 * io.pagevfs.core.PageGeometry} (512 B to 64 KiB). Holes read as zeros and hold no memory. A
 * volume's usage is the number of pages its files hold, and a write that needs more pages than the
 * volume has left fails ENOSPC having changed nothing. Invariants (checked by {@link
 * io.pagevfs.core.Vfs#checkInvariants()}): a volume's pool counts exactly the pages its named and
 * open files hold and never more than its limit; no file holds a page wholly beyond its size, and
 * the bytes beyond its size in its last page are zero, so growth always exposes zeros.
 *
 * <h2>Namespace</h2>
 *
 * <p>Invariants: every directory's link count is 2 plus its subdirectories; every other inode's is
 * the number of names it has; each directory's parent is the directory that names it (a volume root
 * is its own parent); a removed directory is never named. Path resolution is Linux's: see {@code
 * Namei}. Permission decisions are Linux's DAC: see {@code Access}.
 *
 * <h2>Locking</h2>
 *
 * <p>Lock order, outermost first: an open file description's monitor (its offset), then the Vfs
 * <em>tree lock</em> (a read-write lock over directory contents, parents, the mount table and the
 * mode, owner and link count of every inode), then an inode's monitor (timestamps, extended
 * attributes, size and content), then the leaf monitors (a mount's open counts, a page pool's
 * counter, a descriptor table). Path walks hold the tree read lock; namespace changes the write
 * lock; reads and writes of file content hold only the description and inode monitors. Mode, owner
 * and link count change only under both the tree write lock and the inode's monitor, so either
 * suffices to read them. A description's reference count is atomic, so releasing one (at close, or
 * when a mapping dies) takes no monitor. Dead mappings are reaped ({@code Vfs.reapMappings}) at the
 * start of mmap, truncate, remount and umount.
 *
 * <h2>Memory mapping</h2>
 *
 * <p>A file's first mapping moves its content from heap pages to an unlinked host shared-memory
 * file ({@code HostPageStore}); every mapping is then made by that file's own JDK channel and is a
 * genuine {@link java.nio.MappedByteBuffer}, coherent with reads and writes through the host page
 * cache. The truncate guard (the host file never shorter than a live mapping, never holed, cut-off
 * ranges zeroed) keeps every access to a live mapping safe: see {@code HostPageStore}. A mapping
 * holds its open file description until it is unreachable, as a Linux mapping holds its file.
 * suffices to read them.
 *
 * <h2>Change events</h2>
 *
 * <p>{@link io.pagevfs.core.Process#watch} watches a directory as inotify does: its listener hears
 * of names created, deleted and modified in it, by any process of the kernel, until the watch is
 * closed or the directory dies (see {@code Notifier} for exactly which calls report what). Events
 * are queued where the change is made, under whatever locks make it, and delivered in order when
 * the thread making a change holds no tree lock any more: as the system call releases its outermost
 * tree lock, or straight after a write, which takes none. The tree lock is never released as a
 * thread's last while it holds a description's or an inode's monitor, so listeners run with no
 * kernel lock held and may call the kernel. The reverse index that lets a change to an inode find
 * the watched directories naming it exists only for watched directories, so a kernel nobody watches
 * pays one volatile read per change and an empty-queue check per release of the tree lock.
 * Invariants: a watched directory is alive and each of its entries carries its watched name; every
 * watched name of an inode is an entry of a watched directory.
 */
package io.pagevfs.core;
