package io.pagevfs.cli;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import io.pagevfs.core.MountFlag;
import io.pagevfs.core.VolumeSpec;
import io.pagevfs.nio.PageVfs;
import io.pagevfs.nio.PageVfsConfig;
import io.pagevfs.nio.PageVfsFileSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The memory-mapping part of {@code pagevfs demo}. */
final class MappingDemo {
    private final PrintWriter out;

    MappingDemo(PrintWriter out) {
        this.out = out;
    }

    void run() throws IOException {
        out.println();
        out.println("== FileChannel.map: real, coherent MappedByteBuffers");
        try (PageVfsFileSystem fs =
                PageVfs.newFileSystem(PageVfsConfig.builder().asRoot().build())) {
            Path p = fs.getPath("/mapped.txt");
            Files.writeString(p, "hello, channel!");
            try (FileChannel ch = FileChannel.open(p, READ, WRITE, CREATE)) {
                MappedByteBuffer shared = ch.map(MapMode.READ_WRITE, 0, ch.size());
                MappedByteBuffer priv = ch.map(MapMode.PRIVATE, 0, ch.size());
                out.println(
                        "  mapped "
                                + ch.size()
                                + " bytes: "
                                + shared.getClass().getName()
                                + " (a genuine MappedByteBuffer)");
                shared.put(7, "MAPPED!".getBytes(StandardCharsets.US_ASCII));
                out.println(
                        "  put \"MAPPED!\" through the READ_WRITE mapping; a channel reads: \""
                                + Files.readString(p)
                                + "\"");
                ch.write(ByteBuffer.wrap("HELLO".getBytes(StandardCharsets.US_ASCII)), 0);
                out.println(
                        "  wrote \"HELLO\" through the channel; the mapping reads: \""
                                + text(shared)
                                + "\"");
                priv.put(0, "private".getBytes(StandardCharsets.US_ASCII));
                out.println(
                        "  put \"private\" in a PRIVATE mapping: it reads \""
                                + text(priv)
                                + "\", the file still \""
                                + Files.readString(p)
                                + "\"");
            }
            Files.createDirectory(fs.getPath("/ro"));
            fs.mount("/ro", VolumeSpec.of("ro", 1 << 20), Set.of());
            Files.writeString(fs.getPath("/ro/file"), "read-only data");
            fs.remount("/ro", Set.of(MountFlag.READ_ONLY));
            try (FileChannel ch = FileChannel.open(fs.getPath("/ro/file"), READ)) {
                try {
                    ch.map(MapMode.READ_WRITE, 0, ch.size());
                    out.println("  mapped a read-only mount READ_WRITE: this should not happen");
                } catch (NonWritableChannelException e) {
                    out.println(
                            "  READ_WRITE on the read-only mount: refused (NonWritableChannelException; opening for writing is EROFS)");
                }
                out.println(
                        "  READ_ONLY there works: \""
                                + text(ch.map(MapMode.READ_ONLY, 0, ch.size()))
                                + "\"");
            }
        }
    }

    private static String text(ByteBuffer b) {
        byte[] bytes = new byte[b.capacity()];
        b.duplicate().clear().get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
