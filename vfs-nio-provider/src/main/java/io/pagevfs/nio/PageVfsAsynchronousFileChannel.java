package io.pagevfs.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * An AsynchronousFileChannel that runs each operation of a {@link PageVfsFileChannel} on an
 * executor (the caller's, or the filesystem's configured or default pool) and completes a Future or
 * a CompletionHandler with its result.
 */
final class PageVfsAsynchronousFileChannel extends AsynchronousFileChannel {
    private final PageVfsFileSystem fs;
    private final PageVfsFileChannel channel;
    private final ExecutorService executor;

    PageVfsAsynchronousFileChannel(
            PageVfsFileSystem fs, PageVfsFileChannel channel, ExecutorService executor) {
        this.fs = fs;
        this.channel = channel;
        this.executor = executor;
        fs.untrack(channel);
    }

    private <V> Future<V> submit(Callable<V> op) {
        CompletableFuture<V> f = new CompletableFuture<>();
        if (!isOpen()) {
            f.completeExceptionally(new ClosedChannelException());
            return f;
        }
        try {
            executor.execute(
                    () -> {
                        try {
                            f.complete(op.call());
                        } catch (Throwable t) {
                            f.completeExceptionally(
                                    isOpen() ? t : new AsynchronousCloseException());
                        }
                    });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IOException("the executor refused the operation", e));
        }
        return f;
    }

    private <V, A> void submit(
            Callable<V> op, A attachment, CompletionHandler<V, ? super A> handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        Future<V> f = submit(op);
        ((CompletableFuture<V>) f)
                .whenComplete(
                        (v, t) -> {
                            if (t == null) {
                                handler.completed(v, attachment);
                            } else {
                                handler.failed(
                                        t instanceof java.util.concurrent.CompletionException
                                                        && t.getCause() != null
                                                ? t.getCause()
                                                : t,
                                        attachment);
                            }
                        });
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        channel.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        channel.force(metaData);
    }

    @Override
    public <A> void lock(
            long position,
            long size,
            boolean shared,
            A attachment,
            CompletionHandler<FileLock, ? super A> handler) {
        submit(() -> channel.lock(position, size, shared), attachment, handler);
    }

    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        return submit(() -> channel.lock(position, size, shared));
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return channel.tryLock(position, size, shared);
    }

    @Override
    public <A> void read(
            ByteBuffer dst,
            long position,
            A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        checkPosition(position);
        submit(() -> channel.read(dst, position), attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        checkPosition(position);
        return submit(() -> channel.read(dst, position));
    }

    @Override
    public <A> void write(
            ByteBuffer src,
            long position,
            A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        checkPosition(position);
        submit(() -> channel.write(src, position), attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        checkPosition(position);
        return submit(() -> channel.write(src, position));
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position: " + position);
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        fs.untrack(this);
        channel.close();
    }
}
