package io.pagevfs.core;

import java.nio.ByteBuffer;

/**
 * The behaviour of a character or block device node, registered with {@link
 * VfsConfig.Builder#device}. Called without any PageVFS lock held; implementations are thread-safe.
 */
public interface DeviceHandler {
    /**
     * Reads up to {@code dst.remaining()} bytes at {@code pos}; returns the count, 0 at end of
     * device.
     */
    int read(long pos, ByteBuffer dst) throws VfsException;

    /** Writes bytes from {@code src} at {@code pos}; returns the count consumed. */
    int write(long pos, ByteBuffer src) throws VfsException;

    /** The device's size as stat reports it; 0 for character devices. */
    default long size() {
        return 0;
    }

    /** {@code /dev/null}: reads end at once, writes vanish. */
    DeviceHandler NULL =
            new DeviceHandler() {
                @Override
                public int read(long pos, ByteBuffer dst) {
                    return 0;
                }

                @Override
                public int write(long pos, ByteBuffer src) {
                    int n = src.remaining();
                    src.position(src.limit());
                    return n;
                }
            };

    /** {@code /dev/zero}: reads give zeros, writes vanish. */
    DeviceHandler ZERO =
            new DeviceHandler() {
                @Override
                public int read(long pos, ByteBuffer dst) {
                    int n = dst.remaining();
                    while (dst.hasRemaining()) {
                        dst.put((byte) 0);
                    }
                    return n;
                }

                @Override
                public int write(long pos, ByteBuffer src) {
                    int n = src.remaining();
                    src.position(src.limit());
                    return n;
                }
            };
}
