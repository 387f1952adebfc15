package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential properties: random sequences of {@code Files.*} and channel operations, valid and
 * invalid, run on PageVFS (as root and as the default ordinary user), on the JDK's default provider
 * in a fresh directory under /dev/shm, and on Jimfs. After every step PageVFS must have returned
 * what the JDK returned (or thrown the same exception type, with the same reason for a plain
 * FileSystemException) and hold the same tree (names, types, sizes, contents, link targets).
 *
 * <p>The JDK is the oracle. Jimfs is compared only while it agrees with the JDK: its first
 * deviation is counted in the statistics and it is left out of the rest of that sequence, since its
 * state is no longer comparable. Known differences of PageVFS are in docs/DIFFERENCES.md and are
 * excluded in {@link #excluded}.
 *
 * <p>Symbolic link targets never contain "." or "..", and ".." in operation paths only follows a
 * name ("a/../b"), so no operation reaches outside a system's base directory.
 */
class NioDifferentialProperties {
    private final List<Trial> trials = new ArrayList<>();

    @AfterTry
    void closeSystems() throws IOException {
        for (Trial t : trials) {
            t.close();
        }
        trials.clear();
    }

    @Property
    void filesAndChannels_behaveAsTheJdkProvider(@ForAll("chains") ActionChain<Trial> chain) {
        chain.run();
        // the interesting refusals are really reached
        Statistics.label("jdk exception")
                .coverage(
                        c -> {
                            for (String x : INTERESTING) {
                                c.check(x).count(n -> n > 0);
                            }
                        });
    }

    private static final List<String> INTERESTING =
            List.of(
                    "ex FileAlreadyExistsException",
                    "ex DirectoryNotEmptyException",
                    "ex NotDirectoryException",
                    "ex NotLinkException",
                    "ex ClosedChannelException",
                    "ex NonReadableChannelException",
                    "ex NonWritableChannelException",
                    "ex IllegalArgumentException",
                    "ex UnsupportedOperationException",
                    "ex FileSystemException(Not a directory)",
                    "ex FileSystemException(Operation not permitted)",
                    "ex FileSystemException(Too many levels of symbolic links or unable to access"
                            + " attributes of symbolic link)",
                    "ex IOException(Too many levels of symbolic links (NOFOLLOW_LINKS specified))");

    @Provide
    Arbitrary<ActionChain<Trial>> chains() {
        return ActionChain.<Trial>startWith(this::newTrial)
                .withAction(4, action(fileOps()))
                .withAction(4, channelAction())
                .withAction(2, action(queries()))
                .withMaxTransformations(30);
    }

    private Trial newTrial() {
        try {
            Trial t = new Trial();
            trials.add(t);
            return t;
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up the systems to compare", e);
        }
    }

    private static Action.Independent<Trial> action(Arbitrary<Op> ops) {
        return () -> ops.map(NioDifferentialProperties::transformer);
    }

    private static Transformer<Trial> transformer(Op op) {
        return Transformer.mutate(op.toString(), (Trial t) -> t.apply(op));
    }

    /** Channel operations, on the slots that hold a channel (open or closed). */
    private static Action.Dependent<Trial> channelAction() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(Trial t) {
                return !t.usedSlots().isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Trial>> transformer(Trial t) {
                return channelOps(Arbitraries.of(t.usedSlots()))
                        .map(NioDifferentialProperties::transformer);
            }
        };
    }

    // ---- the operations ------------------------------------------------------------------

    /** One operation; {@code call} runs it on one system and returns its comparable result. */
    record Op(String kind, String description, SysCall call) {
        @Override
        public String toString() {
            return description;
        }
    }

    @FunctionalInterface
    interface SysCall {
        Object run(DiffSystem s) throws Exception;
    }

    private static Op op(String kind, String description, SysCall call) {
        return new Op(kind, description, call);
    }

    static Arbitrary<Op> fileOps() {
        Arbitrary<String> p = paths();
        Arbitrary<String> q = paths();
        // listed three times below: channels are where most of the state is
        Arbitrary<Op> opener =
                Combinators.combine(slots(), p, openOptions())
                        .as(
                                (i, x, o) ->
                                        op(
                                                "newByteChannel",
                                                "ch" + i + " = newByteChannel " + x + " " + o,
                                                s -> open(s, i, x, o)));
        return Arbitraries.oneOf(
                p.map(
                        x ->
                                op(
                                        "createFile",
                                        "createFile " + x,
                                        s -> s.rel(Files.createFile(s.path(x))))),
                p.map(
                        x ->
                                op(
                                        "createDirectory",
                                        "createDirectory " + x,
                                        s -> s.rel(Files.createDirectory(s.path(x))))),
                p.map(
                        x ->
                                op(
                                        "createDirectories",
                                        "createDirectories " + x,
                                        s -> s.rel(Files.createDirectories(s.path(x))))),
                Combinators.combine(p, bytes(), writeOptions())
                        .as(
                                (x, b, o) ->
                                        op(
                                                "write",
                                                "write " + x + " " + DiffSystem.hex(b) + " " + o,
                                                s ->
                                                        s.rel(
                                                                Files.write(
                                                                        s.path(x),
                                                                        b,
                                                                        o.toArray(
                                                                                OpenOption[]
                                                                                        ::new))))),
                Combinators.combine(p, Arbitraries.strings().withChars("xyz\u00e9").ofMaxLength(6))
                        .as(
                                (x, str) ->
                                        op(
                                                "writeString",
                                                "writeString " + x + " '" + str + "'",
                                                s -> s.rel(Files.writeString(s.path(x), str)))),
                opener,
                opener,
                opener,
                Combinators.combine(p, permissions(), Arbitraries.of(true, false))
                        .as(
                                (x, m, dir) ->
                                        op(
                                                "createWithPermissions",
                                                (dir ? "createDirectory " : "createFile ")
                                                        + x
                                                        + " "
                                                        + m,
                                                s -> createWithPermissions(s.path(x), m, dir))),
                Combinators.combine(p, bytes(), Arbitraries.of(true, false))
                        .as(
                                (x, b, r) ->
                                        op(
                                                "copyFromStream",
                                                "copy stream "
                                                        + DiffSystem.hex(b)
                                                        + " "
                                                        + x
                                                        + (r ? " REPLACE_EXISTING" : ""),
                                                s -> copyFromStream(b, s.path(x), r))),
                Combinators.combine(p, openOptions())
                        .as(
                                (x, o) ->
                                        op(
                                                "newInputStream",
                                                "newInputStream " + x + " " + o,
                                                s -> readStream(s.path(x), o))),
                Combinators.combine(p, bytes(), openOptions())
                        .as(
                                (x, b, o) ->
                                        op(
                                                "newOutputStream",
                                                "newOutputStream "
                                                        + x
                                                        + " "
                                                        + DiffSystem.hex(b)
                                                        + " "
                                                        + o,
                                                s -> writeStream(s.path(x), b, o))),
                Combinators.combine(p, Arbitraries.longs().between(0, 4_000_000_000_000L))
                        .as(
                                (x, t) ->
                                        op(
                                                "setLastModifiedTime",
                                                "setLastModifiedTime " + x + " " + t,
                                                s -> setTime(s.path(x), t))),
                p.map(x -> op("delete", "delete " + x, s -> delete(s.path(x)))),
                p.map(
                        x ->
                                op(
                                        "deleteIfExists",
                                        "deleteIfExists " + x,
                                        s -> Files.deleteIfExists(s.path(x)))),
                Combinators.combine(p, q, copyOptions())
                        .as(
                                (x, y, o) ->
                                        op(
                                                "copy",
                                                "copy " + x + " " + y + " " + Arrays.toString(o),
                                                s -> s.rel(Files.copy(s.path(x), s.path(y), o)))),
                Combinators.combine(p, q, copyOptions())
                        .as(
                                (x, y, o) ->
                                        op(
                                                "move",
                                                "move " + x + " " + y + " " + Arrays.toString(o),
                                                s -> s.rel(Files.move(s.path(x), s.path(y), o)))),
                Combinators.combine(p, linkTargets())
                        .as(
                                (x, t) ->
                                        op(
                                                "createSymbolicLink",
                                                "createSymbolicLink " + x + " -> " + t,
                                                s ->
                                                        s.rel(
                                                                Files.createSymbolicLink(
                                                                        s.path(x),
                                                                        s.linkTarget(t))))),
                Combinators.combine(p, q)
                        .as(
                                (x, y) ->
                                        op(
                                                "createLink",
                                                "createLink " + x + " => " + y,
                                                s ->
                                                        s.rel(
                                                                Files.createLink(
                                                                        s.path(x), s.path(y))))));
    }

    static Arbitrary<Op> queries() {
        Arbitrary<String> p = paths();
        Arbitrary<Boolean> follow = Arbitraries.of(true, false);
        return Arbitraries.oneOf(
                Combinators.combine(p, permissions())
                        .as(
                                (x, m) ->
                                        op(
                                                "chmod",
                                                "chmod " + x + " " + m,
                                                s -> chmod(s.path(x), m))),
                p.map(x -> op("access", "access " + x, s -> access(s.path(x)))),
                p.map(x -> op("list", "list " + x, s -> list(s.path(x), "*"))),
                Combinators.combine(p, follow)
                        .as(
                                (x, f) ->
                                        op(
                                                "readAttributes",
                                                "readAttributes unix " + x + (f ? "" : " NOFOLLOW"),
                                                s -> unixAttributes(s.path(x), f))),
                p.map(x -> op("readAllBytes", "readAllBytes " + x, s -> readAll(s.path(x)))),
                p.map(x -> op("size", "size " + x, s -> size(s.path(x)))),
                p.map(
                        x ->
                                op(
                                        "readSymbolicLink",
                                        "readSymbolicLink " + x,
                                        s -> s.target(Files.readSymbolicLink(s.path(x))))),
                Combinators.combine(p, follow)
                        .as(
                                (x, f) ->
                                        op(
                                                "types",
                                                "types " + x + (f ? "" : " NOFOLLOW"),
                                                s -> types(s.path(x), f))),
                Combinators.combine(p, follow)
                        .as(
                                (x, f) ->
                                        op(
                                                "readAttributes",
                                                "readAttributes basic "
                                                        + x
                                                        + (f ? "" : " NOFOLLOW"),
                                                s -> attributes(s.path(x), f))),
                Combinators.combine(p, paths())
                        .as(
                                (x, y) ->
                                        op(
                                                "isSameFile",
                                                "isSameFile " + x + " " + y,
                                                s -> Files.isSameFile(s.path(x), s.path(y)))),
                Combinators.combine(p, globs())
                        .as(
                                (x, g) ->
                                        op(
                                                "newDirectoryStream",
                                                "newDirectoryStream " + x + " " + g,
                                                s -> list(s.path(x), g))),
                Combinators.combine(p, follow)
                        .as(
                                (x, f) ->
                                        op(
                                                "toRealPath",
                                                "toRealPath " + x + (f ? "" : " NOFOLLOW"),
                                                s ->
                                                        s.rel(
                                                                f
                                                                        ? s.path(x).toRealPath()
                                                                        : s.path(x)
                                                                                .toRealPath(
                                                                                        LinkOption
                                                                                                .NOFOLLOW_LINKS)))));
    }

    static Arbitrary<Op> channelOps(Arbitrary<Integer> i) {
        Arbitrary<Long> pos = positions();
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 24);
        return Arbitraries.oneOf(
                i.map(c -> op("position", "ch" + c + ".position()", s -> ch(s, c).position())),
                Combinators.combine(i, pos)
                        .as(
                                (c, x) ->
                                        op(
                                                "position",
                                                "ch" + c + ".position(" + x + ")",
                                                s -> ch(s, c).position(x).position())),
                i.map(c -> op("size", "ch" + c + ".size()", s -> ch(s, c).size())),
                Combinators.combine(i, pos)
                        .as(
                                (c, x) ->
                                        op(
                                                "truncate",
                                                "ch" + c + ".truncate(" + x + ")",
                                                s -> truncate(ch(s, c), x))),
                Combinators.combine(i, n)
                        .as(
                                (c, k) ->
                                        op(
                                                "read",
                                                "ch" + c + ".read(" + k + ")",
                                                s -> read(ch(s, c), k, -1))),
                Combinators.combine(i, n, pos)
                        .as(
                                (c, k, x) ->
                                        op(
                                                "read",
                                                "ch" + c + ".read(" + k + ", at " + x + ")",
                                                s -> read(ch(s, c), k, x))),
                Combinators.combine(i, bytes())
                        .as(
                                (c, b) ->
                                        op(
                                                "write",
                                                "ch" + c + ".write(" + DiffSystem.hex(b) + ")",
                                                s -> write(ch(s, c), b, -1))),
                Combinators.combine(i, bytes(), pos)
                        .as(
                                (c, b, x) ->
                                        op(
                                                "write",
                                                "ch"
                                                        + c
                                                        + ".write("
                                                        + DiffSystem.hex(b)
                                                        + ", at "
                                                        + x
                                                        + ")",
                                                s -> write(ch(s, c), b, x))),
                Combinators.combine(i, pos, pos, targets())
                        .as(
                                (c, x, k, t) ->
                                        op(
                                                "transferTo",
                                                "ch"
                                                        + c
                                                        + ".transferTo("
                                                        + x
                                                        + ", "
                                                        + k
                                                        + ", "
                                                        + (t < 0 ? "sink" : "ch" + t)
                                                        + ")",
                                                s -> transferTo(s, c, x, k, t))),
                Combinators.combine(i, pos, pos, targets(), bytes())
                        .as(
                                (c, x, k, t, b) ->
                                        op(
                                                "transferFrom",
                                                "ch"
                                                        + c
                                                        + ".transferFrom("
                                                        + (t < 0 ? DiffSystem.hex(b) : "ch" + t)
                                                        + ", "
                                                        + x
                                                        + ", "
                                                        + k
                                                        + ")",
                                                s -> transferFrom(s, c, x, k, t, b))),
                i.map(c -> op("force", "ch" + c + ".force()", s -> force(ch(s, c)))),
                Combinators.combine(i, n, n)
                        .as(
                                (c, k, l) ->
                                        op(
                                                "read",
                                                "ch" + c + ".read([" + k + ", " + l + "])",
                                                s -> scatter(ch(s, c), k, l))),
                Combinators.combine(i, bytes(), bytes())
                        .as(
                                (c, a, b) ->
                                        op(
                                                "write",
                                                "ch"
                                                        + c
                                                        + ".write(["
                                                        + DiffSystem.hex(a)
                                                        + ", "
                                                        + DiffSystem.hex(b)
                                                        + "])",
                                                s -> gather(ch(s, c), a, b))),
                i.map(c -> op("close", "ch" + c + ".close()", s -> close(s, c))));
    }

    // ---- generators ------------------------------------------------------------------------

    static Arbitrary<String> names() {
        return Arbitraries.of("a", "b", "c", "f.txt");
    }

    /** Paths relative to the base; ".." only right after a name, so never above the base. */
    static Arbitrary<String> paths() {
        Arbitrary<String> n = names();
        return Arbitraries.frequencyOf(
                Tuple.of(10, n),
                Tuple.of(4, Combinators.combine(n, n).as((x, y) -> x + "/" + y)),
                Tuple.of(1, Combinators.combine(n, n, n).as((x, y, z) -> x + "/" + y + "/" + z)),
                Tuple.of(1, Combinators.combine(n, n).as((x, y) -> x + "/../" + y)),
                Tuple.of(1, n.map(x -> x + "/.")),
                Tuple.of(1, n.map(x -> x + "/..")));
    }

    /**
     * Targets without "." or ".." (see the class comment), relative or, with a leading "/",
     * absolute names of the same file under each system's base; loops are possible.
     */
    static Arbitrary<String> linkTargets() {
        Arbitrary<String> n = names();
        return Arbitraries.frequencyOf(
                Tuple.of(4, n),
                Tuple.of(2, Combinators.combine(n, n).as((x, y) -> x + "/" + y)),
                Tuple.of(1, n.map(x -> "/" + x)));
    }

    static Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().between((byte) 'a', (byte) 'z').array(byte[].class).ofMaxSize(9);
    }

    static Arbitrary<Integer> slots() {
        return Arbitraries.integers().between(0, DiffSystem.SLOTS - 1);
    }

    /** A transfer's other end: a slot, or -1 for a byte sink or source. */
    static Arbitrary<Integer> targets() {
        return Arbitraries.integers().between(-1, DiffSystem.SLOTS - 1);
    }

    /** Positions and counts: mostly inside small files, some past their end, a few negative. */
    static Arbitrary<Long> positions() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(0, 16)),
                Tuple.of(2, Arbitraries.longs().between(17, 64)),
                Tuple.of(1, Arbitraries.just(-1L)));
    }

    static Arbitrary<String> permissions() {
        return Arbitraries.of(
                "rwxr-xr-x",
                "rw-r--r--",
                "r--r--r--",
                "-w-------",
                "--x--x--x",
                "---------",
                "rwx------");
    }

    static Arbitrary<String> globs() {
        return Arbitraries.of("*", "a*", "{a,b}", "?", "[a-b]", "*.txt", "[!a]*", "f.*");
    }

    static Arbitrary<Set<OpenOption>> openOptions() {
        List<OpenOption> all = new ArrayList<>(List.of(StandardOpenOption.values()));
        all.add(LinkOption.NOFOLLOW_LINKS);
        Arbitrary<Set<OpenOption>> common =
                Arbitraries.of(
                        Set.of(StandardOpenOption.READ),
                        Set.of(StandardOpenOption.WRITE),
                        Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE),
                        Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE),
                        Set.of(
                                StandardOpenOption.READ,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.CREATE),
                        Set.of(StandardOpenOption.APPEND, StandardOpenOption.CREATE),
                        Set.of(
                                StandardOpenOption.WRITE,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING),
                        Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW));
        return Arbitraries.frequencyOf(
                        Tuple.of(3, common), Tuple.of(2, Arbitraries.of(all).set().ofMaxSize(4)))
                .map(NioDifferentialProperties::ordered);
    }

    /** Options for Files.write: none (the defaults) or a random few, READ included. */
    static Arbitrary<Set<OpenOption>> writeOptions() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Set.<OpenOption>of())),
                Tuple.of(
                        1,
                        Arbitraries.of(
                                        StandardOpenOption.READ,
                                        StandardOpenOption.APPEND,
                                        StandardOpenOption.CREATE,
                                        StandardOpenOption.CREATE_NEW,
                                        StandardOpenOption.TRUNCATE_EXISTING,
                                        StandardOpenOption.WRITE,
                                        LinkOption.NOFOLLOW_LINKS)
                                .set()
                                .ofMinSize(1)
                                .ofMaxSize(3)
                                .map(NioDifferentialProperties::ordered)));
    }

    /** A stable order, so that descriptions read the same on every run. */
    private static Set<OpenOption> ordered(Set<? extends OpenOption> options) {
        Set<OpenOption> out =
                new java.util.TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        out.addAll(options);
        return out;
    }

    static Arbitrary<CopyOption[]> copyOptions() {
        return Arbitraries.of(
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES,
                        StandardCopyOption.ATOMIC_MOVE,
                        LinkOption.NOFOLLOW_LINKS)
                .set()
                .ofMaxSize(3)
                .map(
                        set ->
                                set.stream()
                                        .sorted((a, b) -> a.toString().compareTo(b.toString()))
                                        .toArray(CopyOption[]::new));
    }

    // ---- how each operation runs and reports ------------------------------------------------

    private static String open(DiffSystem s, int slot, String path, Set<OpenOption> options)
            throws IOException {
        close(s, slot);
        s.slots[slot] = null;
        s.slots[slot] = (FileChannel) Files.newByteChannel(s.path(path), options);
        return "opened";
    }

    /** Closes the channel in a slot but keeps it there, so later operations meet a closed one. */
    private static String close(DiffSystem s, int slot) throws IOException {
        FileChannel c = s.slots[slot];
        if (c == null) {
            return "no channel";
        }
        c.close();
        return "closed";
    }

    /** The channel in a slot; a closed one stays there, so its operations report as closed. */
    private static FileChannel ch(DiffSystem s, int slot) throws NoChannel {
        FileChannel c = s.slots[slot];
        if (c == null) {
            throw new NoChannel();
        }
        return c;
    }

    /** An empty slot: the same on every system, since opening failed (or never happened) on all. */
    static final class NoChannel extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private static String createWithPermissions(Path p, String perms, boolean dir)
            throws IOException {
        var attr = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms));
        Path made = dir ? Files.createDirectory(p, attr) : Files.createFile(p, attr);
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(made));
    }

    private static long copyFromStream(byte[] b, Path p, boolean replace) throws IOException {
        CopyOption[] o =
                replace
                        ? new CopyOption[] {StandardCopyOption.REPLACE_EXISTING}
                        : new CopyOption[0];
        return Files.copy(new ByteArrayInputStream(b), p, o);
    }

    private static String readStream(Path p, Set<OpenOption> options) throws IOException {
        try (var in = Files.newInputStream(p, options.toArray(OpenOption[]::new))) {
            return DiffSystem.hex(in.readAllBytes());
        }
    }

    private static String writeStream(Path p, byte[] b, Set<OpenOption> options)
            throws IOException {
        try (var out = Files.newOutputStream(p, options.toArray(OpenOption[]::new))) {
            out.write(b);
        }
        return "written";
    }

    private static String setTime(Path p, long millis) throws IOException {
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(millis));
        return Files.getLastModifiedTime(p).toString();
    }

    private static String scatter(FileChannel c, int a, int b) throws IOException {
        ByteBuffer[] bufs = {ByteBuffer.allocate(a), ByteBuffer.allocate(b)};
        long r = c.read(bufs);
        return r
                + " "
                + DiffSystem.hex(Arrays.copyOf(bufs[0].array(), bufs[0].position()))
                + " "
                + DiffSystem.hex(Arrays.copyOf(bufs[1].array(), bufs[1].position()))
                + " pos="
                + c.position();
    }

    private static String gather(FileChannel c, byte[] a, byte[] b) throws IOException {
        long w = c.write(new ByteBuffer[] {ByteBuffer.wrap(a), ByteBuffer.wrap(b)});
        return w + " pos=" + c.position() + " size=" + c.size();
    }

    private static String delete(Path p) throws IOException {
        Files.delete(p);
        return "deleted";
    }

    private static String chmod(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String access(Path p) {
        return "r="
                + Files.isReadable(p)
                + " w="
                + Files.isWritable(p)
                + " x="
                + Files.isExecutable(p);
    }

    /**
     * Attributes of the "unix" view that do not depend on the filesystem's own choices: mode, nlink
     * of files (a directory's counts its subdirectories on tmpfs), and ownership.
     */
    private static String unixAttributes(Path p, boolean follow) throws IOException {
        LinkOption[] o = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        Map<String, Object> a =
                Files.readAttributes(p, "unix:mode,nlink,size,isDirectory,isSymbolicLink", o);
        boolean dir = (Boolean) a.get("isDirectory");
        String size = sizeOf(p, (Long) a.get("size"), (Boolean) a.get("isSymbolicLink"));
        return "mode="
                + Integer.toOctalString((Integer) a.get("mode"))
                + (dir ? "" : " nlink=" + a.get("nlink") + " size=" + size);
    }

    private static String readAll(Path p) throws IOException {
        return DiffSystem.hex(Files.readAllBytes(p));
    }

    /**
     * Files.size; a directory's size is left out: it is the filesystem's own business (tmpfs counts
     * entries, ext4 blocks) and no contract says what it is.
     */
    private static Object size(Path p) throws IOException {
        long size = Files.size(p);
        return Files.isDirectory(p) ? "(a directory)" : size;
    }

    private static String types(Path p, boolean follow) {
        LinkOption[] o = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        return "dir="
                + Files.isDirectory(p, o)
                + " reg="
                + Files.isRegularFile(p, o)
                + " link="
                + Files.isSymbolicLink(p)
                + " exists="
                + Files.exists(p, o)
                + " notExists="
                + Files.notExists(p, o);
    }

    private static String attributes(Path p, boolean follow) throws IOException {
        BasicFileAttributes a =
                follow
                        ? Files.readAttributes(p, BasicFileAttributes.class)
                        : Files.readAttributes(
                                p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return "dir="
                + a.isDirectory()
                + " reg="
                + a.isRegularFile()
                + " link="
                + a.isSymbolicLink()
                + " other="
                + a.isOther()
                + (a.isDirectory() ? "" : " size=" + sizeOf(p, a.size(), a.isSymbolicLink()));
    }

    /**
     * A size as compared: a link's is its target's length, which differs between systems for an
     * absolute target (the base directories differ), so it is checked here and reported as such.
     */
    private static String sizeOf(Path p, long size, boolean link) throws IOException {
        if (!link) {
            return Long.toString(size);
        }
        int length = Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8).length;
        return size == length ? "(the target's length)" : size + " (target " + length + ")";
    }

    private static String list(Path dir, String glob) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        }
        return names.toString();
    }

    private static String truncate(FileChannel c, long size) throws IOException {
        c.truncate(size);
        return "size=" + c.size() + " pos=" + c.position();
    }

    private static String read(FileChannel c, int n, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        int r = at < 0 ? c.read(b) : c.read(b, at);
        return r
                + " "
                + DiffSystem.hex(Arrays.copyOf(b.array(), b.position()))
                + " pos="
                + c.position();
    }

    private static String write(FileChannel c, byte[] bytes, long at) throws IOException {
        int w = at < 0 ? c.write(ByteBuffer.wrap(bytes)) : c.write(ByteBuffer.wrap(bytes), at);
        return w + " pos=" + c.position() + " size=" + c.size();
    }

    private static String transferTo(DiffSystem s, int slot, long pos, long count, int target)
            throws Exception {
        FileChannel c = ch(s, slot);
        if (target < 0) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            WritableByteChannel out = Channels.newChannel(sink);
            long n = c.transferTo(pos, count, out);
            return n + " " + DiffSystem.hex(sink.toByteArray()) + " pos=" + c.position();
        }
        FileChannel t = target == slot ? null : s.slots[target];
        if (t == null) {
            return "no target";
        }
        long n = c.transferTo(pos, count, t);
        return n + " pos=" + c.position() + " targetPos=" + t.position();
    }

    private static String transferFrom(
            DiffSystem s, int slot, long pos, long count, int source, byte[] bytes)
            throws Exception {
        FileChannel c = ch(s, slot);
        if (source < 0) {
            ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(bytes));
            long n = c.transferFrom(in, pos, count);
            return n + " pos=" + c.position() + " size=" + c.size();
        }
        FileChannel src = source == slot ? null : s.slots[source];
        if (src == null) {
            return "no source";
        }
        long n = c.transferFrom(src, pos, count);
        return n + " pos=" + c.position() + " size=" + c.size() + " sourcePos=" + src.position();
    }

    private static String force(FileChannel c) throws IOException {
        c.force(true);
        return "forced";
    }

    // ---- the comparison ----------------------------------------------------------------------

    /**
     * Outcomes left out of the comparison because the difference is deliberate or impossible to
     * remove; each is listed in docs/DIFFERENCES.md ("java.nio.file provider").
     */
    static boolean excluded(Op op, String jdk, String pageVfs) {
        // A transfer from a channel open on a directory (tmpfs gives directories a size): the
        // JDK's copy_file_range(2)/sendfile(2) fail ENODEV or, even for a count of 0, EISDIR,
        // depending on the JDK and the other channel; PageVFS reads (EISDIR, or nothing for a
        // count of 0). The trees are still compared.
        return op.kind().startsWith("transfer")
                && (jdk.equals("ex IOException(No such device)")
                        || jdk.equals("ex IOException(Is a directory)"));
    }

    /** The systems of one sequence, and whether Jimfs still agrees with the JDK. */
    static final class Trial implements java.io.Closeable {
        final DiffSystem jdk = DiffSystem.jdk();
        final DiffSystem root = DiffSystem.pageVfs(true);
        final DiffSystem user = DiffSystem.pageVfs(false);
        final DiffSystem jimfs = DiffSystem.jimfs();
        boolean jimfsAgrees = true;

        /**
         * Whether PageVFS as an ordinary user is still compared: until the first operation that
         * sets permissions.
         */
        boolean userComparable = true;

        /** Every system starts from the same small tree: a/, a/f.txt, b and c -> a. */
        Trial() throws IOException {
            for (DiffSystem s : List.of(jdk, root, user, jimfs)) {
                Files.createDirectory(s.path("a"));
                Files.writeString(s.path("a/f.txt"), "hello");
                Files.writeString(s.path("b"), "0123456789");
                Files.createSymbolicLink(s.path("c"), s.base.getFileSystem().getPath("a"));
            }
        }

        /** The slots that hold a channel in every system (opening agreed, so they do). */
        List<Integer> usedSlots() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < DiffSystem.SLOTS; i++) {
                if (jdk.slots[i] != null) {
                    out.add(i);
                }
            }
            return out;
        }

        void apply(Op op) {
            String expected = Outcomes.of(() -> op.call().run(jdk));
            Statistics.label("operation")
                    .collect(op.kind(), expected.startsWith("ok") ? "ok" : "failed");
            Statistics.label("jdk exception")
                    .collect(expected.startsWith("ok") ? "none" : expected);
            if (op.kind().equals("chmod") || op.kind().equals("createWithPermissions")) {
                // from here on permissions matter, and the JDK runs as root
                userComparable = false;
            }
            for (DiffSystem s : userComparable ? List.of(root, user) : List.of(root)) {
                String actual = Outcomes.ofPageVfs(() -> op.call().run(s));
                if (!excluded(op, expected, actual)) {
                    assertEquals(expected, actual, s + ": " + op);
                }
            }
            if (jimfsAgrees) {
                String j = Outcomes.of(() -> op.call().run(jimfs));
                if (!j.equals(expected)) {
                    jimfsAgrees = false;
                    Statistics.label("jimfs deviates").collect(op.kind());
                }
            }
            compareTrees(op);
        }

        private void compareTrees(Op op) {
            Map<String, String> expected = snapshot(jdk);
            assertEquals(expected, snapshot(root), "tree of pagevfs-root after " + op);
            if (userComparable) {
                assertEquals(expected, snapshot(user), "tree of pagevfs-user after " + op);
            }
            if (jimfsAgrees && !withoutPermissions(expected).equals(snapshot(jimfs))) {
                jimfsAgrees = false;
                Statistics.label("jimfs deviates").collect(op.kind() + " (tree)");
            }
        }

        /** The JDK's tree as Jimfs shows trees: without permissions. */
        private static Map<String, String> withoutPermissions(Map<String, String> tree) {
            Map<String, String> out = new java.util.TreeMap<>();
            tree.forEach(
                    (k, v) ->
                            out.put(k, v.replaceAll(" [r-][w-][x-][r-][w-][x-][r-][w-][x-]", "")));
            return out;
        }

        private static Map<String, String> snapshot(DiffSystem s) {
            try {
                return s.snapshot();
            } catch (IOException e) {
                throw new AssertionError("cannot walk " + s, e);
            }
        }

        @Override
        public void close() throws IOException {
            for (DiffSystem s : List.of(jdk, root, user, jimfs)) {
                s.close();
            }
        }
    }
}
