package io.pagevfs.nio;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The program {@link MappingCrashTest} runs in forked JVMs: it takes mapped buffers of a PageVFS
 * file, takes the file away under them, then reads and writes the buffers through JDK code that
 * would crash the JVM on a naive truncate (SIGBUS in CRC32, Adler32, Deflater, vectorized
 * mismatch), and checks every result against a heap model of what the buffers must hold.
 *
 * <p>{@code MappingCrashChild ACTION KINDS WARMUP_CALLS} where ACTION is {@code truncate} (the file
 * is truncated to 0 through its channel), {@code delete} (the file is deleted, then its channel
 * closed) or {@code close} (the whole filesystem is closed), KINDS a comma-separated list of {@link
 * Kind} names, and WARMUP_CALLS how many calls of each kind to make on a valid mapping first (so
 * that the JIT has compiled the access path before the file goes away).
 *
 * <p>{@code MappingCrashChild race SECONDS} maps freshly written files while another thread
 * truncates them and regrows them, and runs CRC32 over each new mapping.
 *
 * <p>Prints one line per access and {@code DONE} at the end. Exits 0 when everything agreed with
 * the model, 3 when an access threw InternalError (an unsafe-access fault: the truncate guard
 * failed), 4 when a result was wrong, 2 on bad arguments.
 */
public final class MappingCrashChild {
    static final int SIZE = 1 << 20;
    static final int SLICE_AT = 4096 * 3 + 100;
    static final int SLICE_LEN = 64 * 1024;
    static final int WARM_SIZE = 4096;

    /** The ways a mapped buffer is accessed. */
    enum Kind {
        GET,
        GET_LONG,
        GET_BULK,
        PUT,
        PUT_LONG,
        PUT_BULK,
        MISMATCH,
        EQUALS,
        CRC32,
        ADLER32,
        DEFLATE,
        WRITE_PAGEVFS,
        WRITE_JDK
    }

    /** Where the WRITE kinds write to, and the buffer MISMATCH and EQUALS compare with. */
    static final class Sinks {
        final FileChannel pageVfs;
        final FileChannel jdk;
        final ByteBuffer reference;

        Sinks(FileChannel pageVfs, FileChannel jdk, ByteBuffer reference) {
            this.pageVfs = pageVfs;
            this.jdk = jdk;
            this.reference = reference;
        }
    }

    private MappingCrashChild() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("race")) {
            System.exit(race(Double.parseDouble(args[1])));
        }
        if (args.length != 3) {
            System.out.println(
                    "usage: MappingCrashChild truncate|delete|close KIND,... WARMUP_CALLS"
                            + " | race SECONDS");
            System.exit(2);
        }
        String action = args[0];
        List<Kind> kinds = new ArrayList<>();
        for (String k : args[1].split(",")) {
            kinds.add(Kind.valueOf(k.toUpperCase(Locale.ROOT)));
        }
        int warmup = Integer.parseInt(args[2]);
        System.exit(run(action, kinds, warmup));
    }

    @SuppressWarnings("try") // the close action closes the filesystem inside its try
    private static int run(String action, List<Kind> kinds, int warmup) throws Exception {
        Path jdkFile = Files.createTempFile("pagevfs-crash-sink", ".bin");
        try (PageVfsFileSystem fs = PageVfs.newFileSystem();
                PageVfsFileSystem sinkFs = PageVfs.newFileSystem();
                FileChannel jdkSink = FileChannel.open(jdkFile, READ, WRITE);
                FileChannel pageSink =
                        FileChannel.open(sinkFs.getPath("/sink"), CREATE, READ, WRITE)) {
            byte[] ones = new byte[SIZE];
            Arrays.fill(ones, (byte) 1);
            Path file = fs.getPath("/mapped.bin");
            Files.write(file, ones);
            FileChannel ch = FileChannel.open(file, READ, WRITE);
            MappedByteBuffer rw = ch.map(MapMode.READ_WRITE, 0, SIZE);
            MappedByteBuffer ro = ch.map(MapMode.READ_ONLY, 0, SIZE);
            ByteBuffer slice = rw.slice(SLICE_AT, SLICE_LEN);

            if (warmup > 0) {
                warmUp(fs, kinds, warmup, new Sinks(pageSink, jdkSink, direct(ones, WARM_SIZE)));
            }

            boolean zeros;
            switch (action) {
                case "truncate" -> {
                    ch.truncate(0);
                    zeros = true;
                }
                case "delete" -> {
                    Files.delete(file);
                    ch.close();
                    zeros = false;
                }
                case "close" -> {
                    ch.close();
                    fs.close();
                    zeros = false;
                }
                default -> {
                    System.out.println("unknown action " + action);
                    return 2;
                }
            }
            System.out.println("action " + action + " done; accessing the mappings");
            // The model: the file's bytes as the mappings must now see them.
            ByteBuffer model = ByteBuffer.allocate(SIZE);
            if (!zeros) {
                model.put(0, ones);
            }
            ByteBuffer reference = direct(zeros ? new byte[SIZE] : ones, SIZE);
            Sinks sinks = new Sinks(pageSink, jdkSink, reference);
            ByteBuffer[] mapped = {rw, ro, slice};
            ByteBuffer[] modelled = {
                model, model.asReadOnlyBuffer(), model.slice(SLICE_AT, SLICE_LEN)
            };
            String[] names = {"rw", "ro", "slice"};
            int status = 0;
            for (Kind k : kinds) {
                for (int i = 0; i < mapped.length; i++) {
                    String got = outcome(k, mapped[i], sinks, true);
                    String want = outcome(k, modelled[i], sinks, true);
                    boolean internal = got.contains("InternalError");
                    boolean agrees = got.equals(want);
                    System.out.println(
                            (internal ? "INTERNAL_ERROR " : agrees ? "ok " : "WRONG ")
                                    + k
                                    + " "
                                    + names[i]
                                    + " -> "
                                    + got
                                    + (agrees ? "" : " (model: " + want + ")"));
                    if (internal) {
                        status = 3;
                    } else if (!agrees && status == 0) {
                        status = 4;
                    }
                }
            }
            System.out.println("DONE");
            return status;
        } finally {
            Files.deleteIfExists(jdkFile);
        }
    }

    /** Calls every kind {@code calls} times on valid mappings of another file. */
    private static void warmUp(PageVfsFileSystem fs, List<Kind> kinds, int calls, Sinks sinks)
            throws IOException {
        byte[] ones = new byte[WARM_SIZE];
        Arrays.fill(ones, (byte) 1);
        Path warm = fs.getPath("/warm.bin");
        Files.write(warm, ones);
        try (FileChannel ch = FileChannel.open(warm, READ, WRITE)) {
            ByteBuffer[] buffers = {
                ch.map(MapMode.READ_WRITE, 0, WARM_SIZE),
                ch.map(MapMode.READ_ONLY, 0, WARM_SIZE),
                ch.map(MapMode.READ_WRITE, 0, WARM_SIZE).slice(100, WARM_SIZE - 200)
            };
            for (Kind k : kinds) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    outcome(k, buffers[i % buffers.length], sinks, false);
                }
                System.out.printf(
                        "warmed up %s: %d calls in %d ms%n",
                        k, calls, (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }

    private static ByteBuffer direct(byte[] content, int size) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        b.put(0, content, 0, size);
        return b;
    }

    /** The access's result, or the exception it threw, as a comparable string. */
    static String outcome(Kind k, ByteBuffer b, Sinks s, boolean readBack) {
        try {
            long r = access(k, b, s);
            if (readBack && (k == Kind.WRITE_PAGEVFS || k == Kind.WRITE_JDK)) {
                r = r * 31 + contentHash(k == Kind.WRITE_PAGEVFS ? s.pageVfs : s.jdk, (int) r);
            }
            return Long.toString(r);
        } catch (InternalError e) {
            return "InternalError: " + e.getMessage();
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    /** One access of {@code b}; each kind is its own method, so each is compiled on its own. */
    static long access(Kind k, ByteBuffer b, Sinks s) throws IOException {
        switch (k) {
            case GET:
                return get(b);
            case GET_LONG:
                return getLong(b);
            case GET_BULK:
                return getBulk(b);
            case PUT:
                return put(b);
            case PUT_LONG:
                return putLong(b);
            case PUT_BULK:
                return putBulk(b);
            case MISMATCH:
                return mismatch(b, s.reference);
            case EQUALS:
                return equalsReference(b, s.reference);
            case CRC32:
                return crc32(b);
            case ADLER32:
                return adler32(b);
            case DEFLATE:
                return deflate(b);
            case WRITE_PAGEVFS:
                return writeTo(b, s.pageVfs);
            case WRITE_JDK:
                return writeTo(b, s.jdk);
            default:
                throw new AssertionError(k);
        }
    }

    static long get(ByteBuffer b) {
        long sum = 0;
        for (int i = 0; i < b.capacity(); i++) {
            sum = sum * 31 + b.get(i);
        }
        return sum;
    }

    static long getLong(ByteBuffer b) {
        long sum = 0;
        for (int i = 0; i + 8 <= b.capacity(); i += 8) {
            sum = sum * 31 + b.getLong(i);
        }
        return sum;
    }

    static long getBulk(ByteBuffer b) {
        byte[] a = new byte[b.capacity()];
        b.get(0, a);
        return Arrays.hashCode(a);
    }

    static long put(ByteBuffer b) {
        for (int i = 0; i < b.capacity(); i += 4093) {
            b.put(i, (byte) (i * 7 + 3));
        }
        return b.get(b.capacity() - 1);
    }

    static long putLong(ByteBuffer b) {
        for (int i = 5; i + 8 <= b.capacity(); i += 8191) {
            b.putLong(i, 0x0102030405060708L * i);
        }
        return b.getLong(5);
    }

    private static final byte[] PATTERN = new byte[3 * 4096 + 17];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) (i % 251);
        }
    }

    static long putBulk(ByteBuffer b) {
        int n = Math.min(b.capacity(), PATTERN.length);
        b.put(b.capacity() - n, PATTERN, 0, n);
        return b.get(b.capacity() - 1);
    }

    static long mismatch(ByteBuffer b, ByteBuffer reference) {
        return b.mismatch(reference.slice(0, b.capacity()));
    }

    static long equalsReference(ByteBuffer b, ByteBuffer reference) {
        ByteBuffer d = b.duplicate().clear();
        return d.equals(reference.slice(0, b.capacity())) ? 1 : 0;
    }

    static long crc32(ByteBuffer b) {
        CRC32 crc = new CRC32();
        crc.update(b.duplicate().clear());
        return crc.getValue();
    }

    static long adler32(ByteBuffer b) {
        Adler32 adler = new Adler32();
        adler.update(b.duplicate().clear());
        return adler.getValue();
    }

    /** One deflater, reset for each call (making a new one costs more than deflating 4 KiB). */
    private static final Deflater DEFLATER = new Deflater(1);

    private static final byte[] DEFLATED = new byte[64 * 1024];

    static long deflate(ByteBuffer b) {
        Deflater d = DEFLATER;
        d.reset();
        d.setInput(b.duplicate().clear());
        d.finish();
        CRC32 crc = new CRC32();
        while (!d.finished()) {
            int n = d.deflate(DEFLATED);
            crc.update(DEFLATED, 0, n);
        }
        return crc.getValue() * 31 + d.getBytesRead();
    }

    static long writeTo(ByteBuffer b, FileChannel sink) throws IOException {
        ByteBuffer d = b.duplicate().clear();
        long n = 0;
        while (d.hasRemaining()) {
            n += sink.write(d, n);
        }
        return n;
    }

    private static long contentHash(FileChannel ch, int len) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(len);
        while (all.hasRemaining() && ch.read(all, all.position()) > 0) {}
        return Arrays.hashCode(all.array());
    }

    // ---- the race between a new mapping and a truncate

    /**
     * For {@code seconds}: writes a new 64 KiB file, maps it (its first mapping promotes it to host
     * memory) and runs CRC32 over the mapping, while another thread keeps truncating the current
     * file to 0 and writing it back to 64 KiB. The new mapping must be registered before any
     * truncate can shrink the host file under it.
     */
    private static int race(double seconds) throws Exception {
        int len = 64 * 1024;
        byte[] content = new byte[len];
        Arrays.fill(content, (byte) 1);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int iterations = 0;
        int internal = 0;
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            var current = new java.util.concurrent.atomic.AtomicReference<FileChannel>();
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread truncator =
                    new Thread(
                            () -> {
                                ByteBuffer one = ByteBuffer.allocate(1);
                                while (!stop.get()) {
                                    FileChannel c = current.get();
                                    if (c == null) {
                                        Thread.onSpinWait();
                                        continue;
                                    }
                                    try {
                                        c.truncate(0);
                                        c.write(one.clear(), len - 1);
                                    } catch (ClosedChannelException e) {
                                        // the main thread moved on to the next file
                                    } catch (IOException e) {
                                        throw new RuntimeException(e);
                                    }
                                }
                            },
                            "truncator");
            truncator.setDaemon(true);
            truncator.start();
            while (System.nanoTime() < end) {
                Path p = fs.getPath("/race-" + iterations);
                Files.write(p, content);
                try (FileChannel ch = FileChannel.open(p, READ, WRITE, TRUNCATE_EXISTING)) {
                    ch.write(ByteBuffer.wrap(content), 0);
                    current.set(ch);
                    MappedByteBuffer m = ch.map(MapMode.READ_WRITE, 0, len);
                    try {
                        crc32(m);
                        m.put(len - 1, (byte) 2);
                    } catch (InternalError e) {
                        internal++;
                        System.out.println("INTERNAL_ERROR at iteration " + iterations + ": " + e);
                    }
                    current.set(null);
                }
                Files.delete(p);
                iterations++;
            }
            stop.set(true);
            truncator.join();
        }
        System.out.println("race: " + iterations + " mappings, " + internal + " InternalErrors");
        System.out.println("DONE");
        return internal > 0 ? 3 : 0;
    }
}
