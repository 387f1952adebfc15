package io.pagevfs.nio;

import io.pagevfs.core.Errno;
import io.pagevfs.core.Process;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.util.Objects;

/**
 * A FileChannel on a kernel descriptor of the filesystem's process. Reads and writes go straight to
 * the kernel (pread/pwrite for the absolute forms); the channel adds the JDK's contract: -1 at end
 * of file, NonReadable/NonWritableChannelException, IllegalArgumentException for negative
 * positions, and interruption and asynchronous close (ClosedByInterruptException,
 * AsynchronousCloseException) through {@link java.nio.channels.spi.AbstractInterruptibleChannel}.
 */
final class PageVfsFileChannel extends FileChannel {
    private static final int TRANSFER_CHUNK = 64 * 1024;

    private final PageVfsPath path;
    private final PageVfsFileSystem fs;
    private final Process process;
    private final int fd;
    private final OpenOptions options;

    /** The locks taken through this channel; they go when it closes. */
    private final java.util.List<FileLocks.PageVfsFileLock> heldLocks =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile Object fileKey;

    /**
     * Opens {@code path} as the JDK's UnixChannelFactory does: CREATE_NEW on a name "." is
     * FileAlreadyExistsException without a call (and EISDIR with CREATE_NEW is one too), ELOOP when
     * not following links is a plain IOException "... (NOFOLLOW_LINKS specified)", and
     * DELETE_ON_CLOSE unlinks the file right after opening it, as the JDK does on Linux (best
     * effort: the channel keeps the file).
     */
    static PageVfsFileChannel open(PageVfsPath path, OpenOptions options, int mode)
            throws IOException {
        Process process = path.getFileSystem().process();
        String name = path.kernelPath();
        if (options.write() && options.createNew() && (name.equals(".") || name.endsWith("/."))) {
            throw new FileAlreadyExistsException(path.toString());
        }
        int fd;
        try {
            fd = process.open(name, options.flags(), mode);
        } catch (VfsException e) {
            if (options.createNew() && e.errno() == Errno.EISDIR) {
                throw withCause(new FileAlreadyExistsException(path.toString()), e);
            }
            if ((options.flags() & io.pagevfs.core.Fcntl.O_NOFOLLOW) != 0
                    && e.errno() == Errno.ELOOP) {
                throw withCause(
                        new IOException(e.errno().message() + " (NOFOLLOW_LINKS specified)"), e);
            }
            throw Errors.translate(e, path);
        }
        if (options.deleteOnClose()) {
            try {
                process.unlink(name);
            } catch (VfsException ignored) {
                // best effort, as the JDK's
            }
        }
        return new PageVfsFileChannel(path, fd, options);
    }

    private static IOException withCause(IOException x, VfsException cause) {
        x.initCause(cause);
        return x;
    }

    PageVfsFileChannel(PageVfsPath path, int fd, OpenOptions options) {
        this.path = path;
        this.fs = path.getFileSystem();
        this.process = fs.process();
        this.fd = fd;
        this.options = options;
    }

    PageVfsPath path() {
        return path;
    }

    int fd() {
        return fd;
    }

    Process process() {
        return process;
    }

    @FunctionalInterface
    private interface LongIo {
        long run() throws VfsException;
    }

    /** Runs one kernel call with the JDK's begin/end protocol and translates its failure. */
    private long io(LongIo op) throws IOException {
        ensureOpen();
        boolean completed = false;
        try {
            begin();
            long r = op.run();
            completed = true;
            return r;
        } catch (VfsException e) {
            if (!isOpen()) {
                return -1; // end(false) below throws AsynchronousCloseException or
                // ClosedByInterruptException
            }
            throw Errors.forChannel(e, path);
        } finally {
            end(completed);
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void ensureReadable() throws ClosedChannelException {
        ensureOpen();
        if (!options.read()) {
            throw new NonReadableChannelException();
        }
    }

    private void ensureWritable() throws ClosedChannelException {
        ensureOpen();
        if (!options.write()) {
            throw new NonWritableChannelException();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        ensureReadable();
        if (!dst.hasRemaining()) {
            return 0;
        }
        long n = io(() -> process.read(fd, dst));
        return n == 0 ? -1 : (int) n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ensureReadable();
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = dsts[i];
            if (!b.hasRemaining()) {
                continue;
            }
            int n = read(b);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (b.hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        ensureWritable();
        return (int) io(() -> process.write(fd, src));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        ensureWritable();
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    /** As the JDK's: in append mode the position is the size, where the next write goes. */
    @Override
    public long position() throws IOException {
        ensureOpen();
        if (options.append()) {
            return size();
        }
        return io(() -> process.lseek(fd, 0, io.pagevfs.core.Fcntl.SEEK_CUR));
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position: " + newPosition);
        }
        io(() -> process.lseek(fd, newPosition, io.pagevfs.core.Fcntl.SEEK_SET));
        return this;
    }

    @Override
    public long size() throws IOException {
        return io(() -> process.fstat(fd).size());
    }

    /** As the JDK's: shrinks only (never grows), then clamps the position to the new size. */
    @Override
    public FileChannel truncate(long size) throws IOException {
        ensureOpen();
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        ensureWritable();
        io(
                () -> {
                    if (size < process.fstat(fd).size()) {
                        process.ftruncate(fd, size);
                    }
                    if (process.lseek(fd, 0, io.pagevfs.core.Fcntl.SEEK_CUR) > size) {
                        process.lseek(fd, size, io.pagevfs.core.Fcntl.SEEK_SET);
                    }
                    return 0;
                });
        return this;
    }

    /** Memory holds everything already: validates the channel, as fsync validates a descriptor. */
    @Override
    public void force(boolean metaData) throws IOException {
        io(
                () -> {
                    process.fsync(fd);
                    return 0;
                });
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
            throws IOException {
        Objects.requireNonNull(target, "target");
        ensureOpen();
        if (!target.isOpen()) {
            throw new ClosedChannelException();
        }
        ensureReadable();
        if (target instanceof PageVfsFileChannel t && !t.options.write()) {
            throw new NonWritableChannelException();
        }
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count");
        }
        // as the JDK's: nothing past the end, and no more than the size says is there
        long size = size();
        if (position > size) {
            return 0;
        }
        long todo = size > 0 ? Math.min(count, size - position) : count;
        long done = 0;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(TRANSFER_CHUNK, Math.max(1, todo)));
        while (done < todo) {
            buf.clear().limit((int) Math.min(buf.capacity(), todo - done));
            int n = read(buf, position + done);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                int w = target.write(buf);
                if (w == 0) {
                    return done + (n - buf.remaining()); // a non-blocking target took no more
                }
            }
            done += n;
        }
        return done;
    }

    /**
     * The running JDK's contract, which changed in Java 21 (JDK-8303260): before, nothing is
     * transferred when {@code position} is past the end of the file and an unreadable source
     * channel is refused only after that check; since, the file grows, and an unreadable source is
     * refused first.
     */
    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
            throws IOException {
        Objects.requireNonNull(src, "src");
        ensureOpen();
        if (!src.isOpen()) {
            throw new ClosedChannelException();
        }
        boolean unreadableSource = src instanceof PageVfsFileChannel s && !s.options.read();
        if (JdkBehaviour.TRANSFER_FROM_GROWS && unreadableSource) {
            throw new NonReadableChannelException();
        }
        ensureWritable();
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count");
        }
        if (!JdkBehaviour.TRANSFER_FROM_GROWS && position > size()) {
            return 0;
        }
        if (unreadableSource) {
            throw new NonReadableChannelException();
        }
        long done = 0;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(TRANSFER_CHUNK, Math.max(1, count)));
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = src.read(buf);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                done += write(buf, position + done);
            }
        }
        return done;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ensureReadable();
        if (!dst.hasRemaining()) {
            return 0;
        }
        long n = io(() -> process.pread(fd, dst, position));
        return n == 0 ? -1 : (int) n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        Objects.requireNonNull(src, "src");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        ensureWritable();
        return (int) io(() -> process.pwrite(fd, src, position));
    }

    /**
     * Maps a region of the file, as the JDK's FileChannelImpl: READ_ONLY needs a readable channel,
     * READ_WRITE a readable and writable one; a region past the end extends the file (which needs a
     * writable channel); size 0 gives an empty buffer. PRIVATE needs only a readable channel, as
     * mmap(MAP_PRIVATE) on Linux (the JDK also asks for a writable one: see docs/DIFFERENCES.md),
     * so it works on a read-only mount.
     */
    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        ensureOpen();
        Objects.requireNonNull(mode, "mode");
        checkMapArguments(position, size);
        if (mode == MapMode.READ_WRITE && !options.write()) {
            throw new NonWritableChannelException();
        }
        if (!options.read()) {
            throw new NonReadableChannelException();
        }
        if (mode != MapMode.READ_ONLY && mode != MapMode.READ_WRITE && mode != MapMode.PRIVATE) {
            throw new UnsupportedOperationException("unsupported map mode: " + mode);
        }
        if (size() < position + size) {
            if (!options.write()) {
                throw new IOException(
                        "Channel not open for writing - cannot extend file to required size");
            }
            io(
                    () -> {
                        process.ftruncate(fd, position + size);
                        return 0;
                    });
        }
        if (size == 0) {
            return (MappedByteBuffer) ByteBuffer.allocateDirect(0);
        }
        return MappedRegions.map(this, mode, position, size);
    }

    static void checkMapArguments(long position, long size) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (position + size < 0) {
            throw new IllegalArgumentException("Position + size overflow");
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Size exceeds Integer.MAX_VALUE");
        }
    }

    /**
     * As the JDK's: blocks until no other process holds a conflicting lock; any overlap with a lock
     * this process already holds is OverlappingFileLockException; size 0 locks to the end however
     * large the file grows (the JDK 25 contract). An interrupt while waiting closes the channel and
     * throws FileLockInterruptionException.
     */
    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        FileLocks.PageVfsFileLock lock = reserve(position, size, shared);
        boolean completed = false;
        try {
            begin();
            process.lockRange(fd, position, size, shared);
            completed = true;
            return lock;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lock; // end() below closes the channel and throws
        } catch (VfsException e) {
            if (!isOpen()) {
                return lock; // end() below throws AsynchronousCloseException
            }
            throw Errors.translate(e, path);
        } finally {
            if (!completed) {
                lock.invalidate();
            }
            try {
                end(completed);
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw new java.nio.channels.FileLockInterruptionException();
            }
        }
    }

    /** As the JDK's: null when another process holds a conflicting lock. */
    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        FileLocks.PageVfsFileLock lock = reserve(position, size, shared);
        boolean taken = false;
        try {
            taken = io(() -> process.tryLockRange(fd, position, size, shared) ? 1 : 0) == 1;
            return taken ? lock : null;
        } finally {
            if (!taken) {
                lock.invalidate();
            }
        }
    }

    /** The file's identity (device, inode), for the in-process lock table. */
    private Object fileKey() throws IOException {
        Object key = fileKey;
        if (key == null) {
            long[] id = new long[2];
            io(
                    () -> {
                        io.pagevfs.core.Stat st = process.fstat(fd);
                        id[0] = st.dev();
                        id[1] = st.ino();
                        return 0;
                    });
            key = java.util.List.of(id[0], id[1]);
            fileKey = key;
        }
        return key;
    }

    void forget(FileLocks.PageVfsFileLock lock) {
        heldLocks.remove(lock);
    }

    /** The argument and mode checks of the JDK, then the in-process overlap check. */
    private FileLocks.PageVfsFileLock reserve(long position, long size, boolean shared)
            throws IOException {
        ensureOpen();
        if (position < 0 || size < 0 || position + size < 0) {
            throw new IllegalArgumentException(
                    "Negative position or size, or overflow: " + position + ", " + size);
        }
        if (shared && !options.read()) {
            throw new NonReadableChannelException();
        }
        if (!shared && !options.write()) {
            throw new NonWritableChannelException();
        }
        long lockSize = size == 0 ? Long.MAX_VALUE - position : size;
        FileLocks.PageVfsFileLock lock =
                new FileLocks.PageVfsFileLock(
                        this, position, lockSize, shared, fileKey(), fs.fileLocks(), size);
        fs.fileLocks().add(fileKey(), lock);
        heldLocks.add(lock);
        return lock;
    }

    @Override
    protected void implCloseChannel() throws IOException {
        fs.untrack(this);
        for (FileLocks.PageVfsFileLock l : heldLocks) {
            l.invalidate();
        }
        try {
            process.close(fd);
        } catch (VfsException e) {
            if (process.isAlive()) {
                throw Errors.translate(e, path);
            }
        }
    }
}
