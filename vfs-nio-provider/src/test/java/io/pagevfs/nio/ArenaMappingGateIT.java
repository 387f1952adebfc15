package io.pagevfs.nio;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Compiled for Java 17 so that every JDK reports it: on JDK 17 it is skipped (the JDK 22+ tests in
 * src/test/java22 are not even compiled there); on JDK 22+ it checks that the provider's channel is
 * the multi-release jar's JDK 22 version, which overrides FileChannel.map(..., Arena).
 */
class ArenaMappingGateIT {
    @Test
    void channel_overridesMapWithArena_fromTheMultiReleaseJar() throws Exception {
        int feature = Runtime.version().feature();
        assumeTrue(
                feature >= 22,
                "FileChannel.map(MapMode, long, long, Arena) exists from JDK 22: skipped on JDK "
                        + feature);
        Class<?> arena = Class.forName("java.lang.foreign.Arena");
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path p = fs.getPath("/f");
            Files.write(p, new byte[] {1, 2, 3});
            try (FileChannel ch = FileChannel.open(p, READ, WRITE)) {
                Method map =
                        ch.getClass()
                                .getDeclaredMethod(
                                        "map", MapMode.class, long.class, long.class, arena);
                Object auto = arena.getMethod("ofAuto").invoke(null);
                Object segment = map.invoke(ch, MapMode.READ_ONLY, 0L, 3L, auto);
                Method isMapped =
                        Class.forName("java.lang.foreign.MemorySegment").getMethod("isMapped");
                assertEquals(Boolean.TRUE, isMapped.invoke(segment));
            }
        }
    }
}
