package io.pagevfs.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.function.Predicate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Makes the host mapping of {@link Process#mmap(int, long, long, int, int, HostMapper)}: the kernel
 * checks the request, promotes the file to host memory and grows the host file over the range, then
 * lets the mapper map the host file's own JDK channel with whatever API it likes. This is how code
 * compiled for a newer JDK (the provider's JDK 22 {@code FileChannel.map(mode, offset, size,
 * Arena)}) maps through a kernel that is compiled for Java 17 and cannot name {@code Arena} or
 * {@code MemorySegment}.
 *
 * <p>The kernel tracks the mapping for its truncate guard (the host file is never cut below a live
 * mapping, which would crash the JVM) with a phantom reference to {@link #lifetime}: the mapper
 * must name an object that stays strongly reachable for as long as any byte of the mapping can be
 * accessed. {@link #accessible} may additionally tell the kernel that a mapping was unmapped
 * deterministically (a closed arena) before that object becomes unreachable.
 *
 * @param <T> the mapping, as the caller's API represents it
 */
public interface HostMapper<T> {
    /**
     * Maps {@code [offset, offset + length)} of {@code host} in {@code mode}. The host file already
     * covers the range. The mapper must not keep {@code host}: the kernel closes it when the file
     * is released (mappings survive that) and never lets it shrink below a live mapping.
     */
    T map(FileChannel host, FileChannel.MapMode mode, long offset, long length) throws IOException;

    /**
     * The object whose reachability bounds the mapping's: while any view of {@code mapping} can be
     * used, this object is strongly reachable. The mapping itself is right when every view keeps it
     * reachable (a MappedByteBuffer's slices and duplicates keep their root buffer).
     */
    default Object lifetime(T mapping) {
        return mapping;
    }

    /**
     * A test, applied to {@link #lifetime}'s object while it is still reachable, that says whether
     * the mapping can still be accessed; a mapping for which it says false is forgotten at once
     * (its host range may shrink) instead of when the object becomes unreachable. Null (the
     * default) means "accessible until unreachable". The kernel keeps the test for as long as it
     * tracks the mapping, so it must not hold the lifetime object itself (a non-capturing lambda or
     * a static method reference is right), and it must never say false while the mapping can still
     * be read or written.
     */
    default @Nullable Predicate<Object> accessible() {
        return null;
    }
}
