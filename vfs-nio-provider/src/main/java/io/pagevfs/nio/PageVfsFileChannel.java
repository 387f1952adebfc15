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

    private PageVfsFileChannel(PageVfsPath path, int fd, OpenOptions options) {
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

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        throw new UnsupportedOperationException(
                "FileChannel.map is not available yet on PageVFS: memory mapping arrives with its own issue (see docs/DIFFERENCES.md)");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        throw new UnsupportedOperationException(
                "file locks are not available yet on PageVFS: the lock manager arrives with its own issue (see docs/DIFFERENCES.md)");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return lock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        fs.untrack(this);
        try {
            process.close(fd);
        } catch (VfsException e) {
            if (process.isAlive()) {
                throw Errors.translate(e, path);
            }
        }
    }
}
