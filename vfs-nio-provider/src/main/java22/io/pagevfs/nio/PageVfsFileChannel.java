package io.pagevfs.nio;

import io.pagevfs.core.HostMapper;
import io.pagevfs.core.HostMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The FileChannel the provider hands out, JDK 22+ version (META-INF/versions/22 of the
 * multi-release jar): the Java 17 class of src/main/java plus {@link #map(MapMode, long, long,
 * Arena)}. Everything else is in {@link AbstractPageVfsFileChannel}; keep the two constructors in
 * step.
 */
final class PageVfsFileChannel extends AbstractPageVfsFileChannel {
    PageVfsFileChannel(PageVfsPath path, int fd, OpenOptions options) {
        super(path, fd, options);
    }

    /**
     * Maps a region of the file into a memory segment whose lifetime {@code arena} controls, with
     * the checks of {@link #map(MapMode, long, long)}: IllegalArgumentException for a negative
     * offset or size or an overflowing end, NonWritableChannelException for READ_WRITE on a channel
     * not open for writing, NonReadableChannelException on one not open for reading,
     * UnsupportedOperationException for other modes, and a region past the end extends the file
     * (which needs a writable channel); IllegalStateException when {@code arena} is closed. Unlike
     * {@code map(MapMode, long, long)} the size may exceed 2 GiB - 1. Size 0 gives an empty mapped
     * segment of the arena.
     *
     * <p>The segment is the JDK's own: the kernel promotes the file to host memory and the host
     * file's JDK channel maps it with {@code FileChannel.map(mode, offset, size, arena)}, so it is
     * coherent with channel I/O and every other mapping, and {@code isMapped()}, {@code load()},
     * {@code isLoaded()} and {@code force()} are real. The mapping goes through the kernel ({@code
     * Process.mmap} with a {@link HostMapper}), which registers it with the truncate guard before
     * anyone can truncate the file, so a truncate never cuts the host file below it.
     *
     * <p><b>What the guard tracks.</b> The segment's scope ({@link MemorySegment#scope()}), not the
     * Arena object. A segment, its slices and every ByteBuffer made by {@code asByteBuffer()} keep
     * the scope reachable, but not the Arena, which is only a wrapper: with {@code Arena.ofAuto()}
     * the Arena can become unreachable while its segments are still in use, and tracking it would
     * let a truncate cut pages that are still mapped. The scope is reachable for exactly as long as
     * the mapping can be used (the JDK's own cleaner for automatic arenas watches the same object).
     * In addition the guard asks {@code scope().isAlive()}: a mapping whose confined or shared
     * arena was closed (which unmaps it at once) stops holding the host file before the scope is
     * collected. A mapping in {@code Arena.global()} is never unmapped and its scope never dies, so
     * the host file keeps its range for as long as the file lives (conservative, and exact).
     * Segments re-created from the raw address with the restricted {@code
     * MemorySegment.reinterpret} escape the guard, as they escape the JDK's own checks.
     *
     * <p>A confined arena of another thread fails with WrongThreadException after the file has been
     * extended (the JDK checks it first).
     */
    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        Objects.requireNonNull(mode, "Mode is null");
        Objects.requireNonNull(arena, "Arena is null");
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("Already closed");
        }
        checkMapArguments(offset, size);
        prepareMap(mode, offset, size);
        if (size == 0) {
            return emptyMapping(mode, arena);
        }
        int delta = MappedRegions.delta(this, offset);
        MemorySegment root =
                MappedRegions.mapWith(this, mode, offset, size, delta, new ArenaMapper(arena));
        return delta == 0 ? root : root.asSlice(delta, size);
    }

    /**
     * A zero-length mapped segment of {@code arena}, as the JDK gives for size 0: Linux cannot map
     * 0 bytes, so the JDK maps nothing and only needs an open file, here a scratch host file.
     */
    private static MemorySegment emptyMapping(MapMode mode, Arena arena) throws IOException {
        try (FileChannel scratch = HostMemory.system().create()) {
            return scratch.map(mode, 0, 0, arena);
        }
    }

    /**
     * Maps the host file with the arena; the guard tracks the segment's scope and asks it whether
     * it is still alive (see {@link #map(MapMode, long, long, Arena)}). The kernel keeps only the
     * static test, never this mapper, which holds the arena.
     */
    private static final class ArenaMapper implements HostMapper<MemorySegment> {
        private final Arena arena;

        ArenaMapper(Arena arena) {
            this.arena = arena;
        }

        @Override
        public MemorySegment map(FileChannel host, MapMode mode, long offset, long length)
                throws IOException {
            return host.map(mode, offset, length, arena);
        }

        @Override
        public Object lifetime(MemorySegment mapping) {
            return mapping.scope();
        }

        @Override
        public Predicate<Object> accessible() {
            return ArenaMapper::scopeAlive;
        }

        private static boolean scopeAlive(Object scope) {
            return ((MemorySegment.Scope) scope).isAlive();
        }
    }
}
