package io.pagevfs.nio;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * FileChannel.map(mode, offset, size, Arena) on PageVFS (JDK 22+, from the multi-release jar: runs
 * as an integration test against the packaged jar).
 */
class ArenaMappingJdk22IT {
    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void segment_isTheJdksMappingAndCoherentWithTheChannelBothWays() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem();
                Arena arena = Arena.ofConfined()) {
            Path p = fs.getPath("/data.bin");
            Files.write(p, new byte[10_000]);
            try (FileChannel ch = FileChannel.open(p, READ, WRITE)) {
                MemorySegment m = ch.map(MapMode.READ_WRITE, 100, 5000, arena);
                assertTrue(m.isMapped());
                assertEquals(5000, m.byteSize());
                assertEquals(arena.scope(), m.scope());
                m.set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
                ByteBuffer one = ByteBuffer.allocate(1);
                ch.read(one, 100);
                assertEquals(7, one.get(0));
                ch.write(ByteBuffer.wrap(new byte[] {9}), 101);
                assertEquals(9, m.get(ValueLayout.JAVA_BYTE, 1));
                assertEquals(9, m.asByteBuffer().get(1));
                m.force();
                m.load();

                MemorySegment ro = ch.map(MapMode.READ_ONLY, 0, 10_000, arena);
                assertTrue(ro.isReadOnly());
                assertEquals(7, ro.get(ValueLayout.JAVA_BYTE, 100));

                MemorySegment priv = ch.map(MapMode.PRIVATE, 0, 10_000, arena);
                priv.set(ValueLayout.JAVA_BYTE, 100, (byte) 42);
                assertEquals(7, m.get(ValueLayout.JAVA_BYTE, 0));
                assertEquals(7, ch.map(MapMode.READ_ONLY, 0, 10_000).get(100));
            }
            assertEquals(7, Files.readAllBytes(p)[100]);
            fs.kernel().checkInvariants();
        }
    }

    @Test
    void checks_matchTheClassicMap() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem();
                Arena arena = Arena.ofConfined()) {
            Path p = fs.getPath("/f");
            Files.write(p, new byte[100]);
            try (FileChannel r = FileChannel.open(p, READ);
                    FileChannel w = FileChannel.open(p, WRITE)) {
                assertThrows(
                        NonWritableChannelException.class,
                        () -> r.map(MapMode.READ_WRITE, 0, 10, arena));
                assertThrows(
                        NonReadableChannelException.class,
                        () -> w.map(MapMode.READ_ONLY, 0, 10, arena));
                assertThrows(
                        IllegalArgumentException.class,
                        () -> r.map(MapMode.READ_ONLY, -1, 10, arena));
                assertThrows(
                        IllegalArgumentException.class,
                        () -> r.map(MapMode.READ_ONLY, 0, -1, arena));
                assertThrows(
                        IllegalArgumentException.class,
                        () -> r.map(MapMode.READ_ONLY, Long.MAX_VALUE, 10, arena));
                assertThrows(
                        NullPointerException.class, () -> r.map(MapMode.READ_ONLY, 0, 1, null));
                IOException e =
                        assertThrows(
                                IOException.class, () -> r.map(MapMode.READ_ONLY, 0, 200, arena));
                assertTrue(e.getMessage().contains("cannot extend"), e.getMessage());
                assertEquals(100, Files.size(p));

                Arena closed = Arena.ofConfined();
                closed.close();
                assertThrows(
                        IllegalStateException.class, () -> r.map(MapMode.READ_ONLY, 0, 1, closed));

                MemorySegment empty = r.map(MapMode.READ_ONLY, 0, 0, arena);
                assertEquals(0, empty.byteSize());
                assertTrue(empty.isMapped());
                assertEquals(arena.scope(), empty.scope());
            }
            FileChannel ch = FileChannel.open(p, READ, WRITE);
            ch.close();
            assertThrows(
                    java.nio.channels.ClosedChannelException.class,
                    () -> ch.map(MapMode.READ_ONLY, 0, 1, arena));
            fs.kernel().checkInvariants();
        }
    }

    @Test
    void mappingPastEnd_extendsTheFile_andUnalignedOffsetsSlice() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem();
                Arena arena = Arena.ofShared()) {
            Path p = fs.getPath("/grow.bin");
            try (FileChannel ch = FileChannel.open(p, CREATE, READ, WRITE)) {
                MemorySegment m = ch.map(MapMode.READ_WRITE, 4196, 8192, arena);
                assertEquals(4196 + 8192, ch.size());
                m.set(ValueLayout.JAVA_BYTE, 0, (byte) 3);
                m.set(ValueLayout.JAVA_BYTE, 8191, (byte) 4);
                ch.write(ByteBuffer.wrap(new byte[] {5}), 20_000);
                assertEquals(20_001, ch.size());
            }
            byte[] all = Files.readAllBytes(p);
            assertEquals(3, all[4196]);
            assertEquals(4, all[4196 + 8191]);
            assertEquals(5, all[20_000]);
        }
    }

    @Test
    void truncateBelowLiveSegment_readsZerosNeverCrashes_andClosingTheArenaFreesTheRange()
            throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path p = fs.getPath("/cut.bin");
            FileStore store = Files.getFileStore(fs.getPath("/"));
            long free = store.getUnallocatedSpace();
            Files.write(p, filled(1 << 20, 1));
            try (FileChannel ch = FileChannel.open(p, READ, WRITE)) {
                Arena arena = Arena.ofShared();
                MemorySegment m = ch.map(MapMode.READ_WRITE, 0, 1 << 20, arena);
                ch.truncate(0);
                fs.kernel().checkInvariants();
                CRC32 crc = new CRC32();
                crc.update(m.asByteBuffer());
                CRC32 zeros = new CRC32();
                zeros.update(new byte[1 << 20]);
                assertEquals(zeros.getValue(), crc.getValue());
                m.set(ValueLayout.JAVA_BYTE, 4096, (byte) 9);
                ch.write(ByteBuffer.wrap(new byte[] {1}), 8192);
                assertEquals(
                        0, Files.readAllBytes(p)[4096], "a byte put past EOF is not the file's");
                assertTrue(
                        store.getUnallocatedSpace() <= free - (1 << 20),
                        "the guard keeps the mapped range");

                arena.close(); // unmaps at once: the guard lets go without waiting for the GC
                ch.truncate(0);
                fs.kernel().checkInvariants();
                assertEquals(free, store.getUnallocatedSpace());
            }
        }
    }

    @Test
    void autoArena_isTrackedByItsScope_notTheArenaObject() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path p = fs.getPath("/auto.bin");
            Files.write(p, filled(1 << 16, 1));
            try (FileChannel ch = FileChannel.open(p, READ, WRITE)) {
                // the Arena object is dropped at once; only the segment's scope keeps the mapping
                ByteBuffer view =
                        ch.map(MapMode.READ_WRITE, 0, 1 << 16, Arena.ofAuto()).asByteBuffer();
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(20);
                }
                ch.map(MapMode.READ_ONLY, 0, 1, Arena.ofAuto()); // reaps what died
                ch.truncate(0);
                CRC32 crc = new CRC32();
                crc.update(view); // would crash the JVM had the guard let the host file shrink
                assertEquals(0, view.get((1 << 16) - 1));
                fs.kernel().checkInvariants();
            }
        }
    }

    @Test
    void globalArena_keepsItsRangeForever() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path p = fs.getPath("/global.bin");
            Files.write(p, filled(8192, 2));
            try (FileChannel ch = FileChannel.open(p, READ, WRITE)) {
                MemorySegment m = ch.map(MapMode.READ_ONLY, 0, 8192, Arena.global());
                ch.truncate(0);
                assertEquals(0, m.get(ValueLayout.JAVA_BYTE, 8191));
                fs.kernel().checkInvariants();
            }
        }
    }
}
