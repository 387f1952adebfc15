package io.pagevfs.nio;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.*;

import io.pagevfs.core.MountFlag;
import io.pagevfs.core.VolumeSpec;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class MappingExamples {
    @Test
    void readWriteMapping_isCoherentWithChannelsBothWays() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path p = fs.getPath("/data.bin");
            Files.write(p, new byte[10_000]);
            try (FileChannel ch = FileChannel.open(p, READ, WRITE)) {
                MappedByteBuffer m = ch.map(MapMode.READ_WRITE, 100, 5000);
                assertTrue(m.isDirect());
                m.put(0, (byte) 7);
                ByteBuffer one = ByteBuffer.allocate(1);
                ch.read(one, 100);
                assertEquals(7, one.get(0));
                ch.write(ByteBuffer.wrap(new byte[] {9}), 101);
                assertEquals(9, m.get(1));
                MappedByteBuffer ro = ch.map(MapMode.READ_ONLY, 0, 10_000);
                assertEquals(7, ro.get(100));
                MappedByteBuffer priv = ch.map(MapMode.PRIVATE, 0, 10_000);
                priv.put(100, (byte) 42);
                assertEquals(7, m.get(0));
                assertEquals(7, Files.readAllBytes(p)[100]);
            }
            fs.kernel().checkInvariants();
        }
    }

    @Test
    void mappingPastEnd_extendsTheFileAndSurvivesGrowthAndClose() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path p = fs.getPath("/grow.bin");
            MappedByteBuffer m;
            try (FileChannel ch = FileChannel.open(p, CREATE, READ, WRITE)) {
                m = ch.map(MapMode.READ_WRITE, 0, 8192);
                assertEquals(8192, ch.size());
                ch.write(ByteBuffer.wrap(new byte[] {5}), 20_000);
            }
            m.put(8191, (byte) 3);
            assertEquals(3, Files.readAllBytes(p)[8191]);
            assertEquals(20_001, Files.size(p));
        }
    }

    @Test
    void truncateBelowLiveMapping_readsZerosAndNeverCrashes() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path p = fs.getPath("/cut.bin");
            byte[] ones = new byte[1 << 20];
            java.util.Arrays.fill(ones, (byte) 1);
            Files.write(p, ones);
            try (FileChannel ch = FileChannel.open(p, READ, WRITE)) {
                MappedByteBuffer m = ch.map(MapMode.READ_WRITE, 0, ones.length);
                ch.truncate(0);
                CRC32 crc = new CRC32();
                crc.update(m.duplicate());
                assertEquals(0, m.get(ones.length - 1));
                m.put(4096, (byte) 9);
                ch.write(ByteBuffer.wrap(new byte[] {1}), 8192);
                assertEquals(
                        0,
                        Files.readAllBytes(p)[4096],
                        "a byte put past EOF is not part of the file");
                fs.kernel().checkInvariants();
            }
        }
    }

    @Test
    void readOnlyMount_refusesReadWriteButMapsReadOnlyAndPrivate() throws Exception {
        try (PageVfsFileSystem fs =
                PageVfs.newFileSystem(PageVfsConfig.builder().asRoot().build())) {
            Files.createDirectory(fs.getPath("/ro"));
            fs.mount("/ro", VolumeSpec.of("ro", 1 << 20), Set.of());
            Files.write(fs.getPath("/ro/f"), new byte[] {1, 2, 3});
            fs.remount("/ro", Set.of(MountFlag.READ_ONLY));
            try (FileChannel ch = FileChannel.open(fs.getPath("/ro/f"), READ)) {
                assertThrows(
                        NonWritableChannelException.class, () -> ch.map(MapMode.READ_WRITE, 0, 3));
                assertEquals(2, ch.map(MapMode.READ_ONLY, 0, 3).get(1));
                MappedByteBuffer priv = ch.map(MapMode.PRIVATE, 0, 3);
                priv.put(0, (byte) 9);
                assertEquals(1, Files.readAllBytes(fs.getPath("/ro/f"))[0]);
            }
        }
    }
}
