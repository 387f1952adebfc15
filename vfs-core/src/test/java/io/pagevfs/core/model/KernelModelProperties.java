package io.pagevfs.core.model;

import static io.pagevfs.core.Fcntl.O_CREAT;
import static io.pagevfs.core.Fcntl.O_EXCL;
import static io.pagevfs.core.Fcntl.O_NOFOLLOW;
import static io.pagevfs.core.Fcntl.O_RDONLY;
import static io.pagevfs.core.Fcntl.O_RDWR;
import static io.pagevfs.core.Fcntl.O_TRUNC;
import static io.pagevfs.core.Fcntl.O_WRONLY;

import java.util.List;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ChangeDetector;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;

/**
 * The kernel against a deliberately simple reference {@link Model}: random chains of namespace,
 * content, permission and mount calls, made by root, a file owner, a member of the owner's group
 * and a stranger, on a small fixed universe of names so that calls collide, fail and interact.
 * Every step must give the model's result or errno and, when refused, change nothing the model does
 * not; after every step the kernel's invariants must hold and its whole tree must be the model's.
 *
 * <p>Each chain starts from the tree {@link Machine} builds, with a small volume mounted on /m.
 * Volumes are small (the root volume {@value Machine#ROOT_LIMIT_PAGES} pages, mounted ones {@value
 * Machine#VOLUME_LIMIT_PAGES}) so writes run out of space, and the properties run with 512-byte and
 * 4 KiB pages so writes cross page boundaries. The coverage checks prove that the interesting
 * refusals and Linux's read-only precedence cases really happen.
 */
class KernelModelProperties {
    private static final int MAX_STEPS = 50;
    private static final RandomDistribution UNIFORM = RandomDistribution.uniform();
    private static final String CROSSING_CHAIN = "with a write across a page boundary";

    /** The Linux precedence cases and busy cases every run must reach at least once. */
    private static final List<String> REQUIRED_CALLS =
            List.of(
                    "Unlink EROFS (missing name on a read-only mount)",
                    "Mkdir EEXIST (existing name on a read-only mount)",
                    "Chmod ENOENT (missing name on a read-only mount)",
                    "Umount EBUSY (a file is open)");

    /** The refusals every run must reach at least once. */
    private static final List<String> REQUIRED =
            List.of(
                    "EACCES",
                    "EPERM",
                    "EROFS",
                    "ENOSPC",
                    "ELOOP",
                    "EXDEV",
                    "EBUSY",
                    "ENOTEMPTY",
                    "EISDIR");

    @Property
    void kernelAgreesWithModel_512BytePages(@ForAll("chains512") ActionChain<Machine> chain) {
        runAndCheckCoverage(chain);
    }

    @Property
    void kernelAgreesWithModel_4KiBPages(@ForAll("chains4KiB") ActionChain<Machine> chain) {
        runAndCheckCoverage(chain);
    }

    @Provide
    Arbitrary<ActionChain<Machine>> chains512() {
        return chains(512);
    }

    @Provide
    Arbitrary<ActionChain<Machine>> chains4KiB() {
        return chains(4096);
    }

    /**
     * Runs the chain, then checks coverage. A label is only checked in a try that collected into it
     * (jqwik cannot report an empty label), so the page-crossing check uses one value per chain.
     */
    private static void runAndCheckCoverage(ActionChain<Machine> chain) {
        Machine end =
                chain.withInvariant("the kernel's invariants hold", m -> m.vfs.checkInvariants())
                        .withInvariant("the kernel's tree is the model's", Machine::checkTree)
                        .run();
        end.close();
        Statistics.label("chains")
                .collect(end.crossedPages() ? CROSSING_CHAIN : "no page-crossing write");
        Statistics.label("chains")
                .coverage(coverage -> coverage.check(CROSSING_CHAIN).count(n -> n > 0));
        if (end.steps() > 0) {
            Statistics.label("outcome")
                    .coverage(
                            coverage -> {
                                for (String errno : REQUIRED) {
                                    coverage.check(errno).count(n -> n > 0);
                                }
                            });
            Statistics.label("call")
                    .coverage(
                            coverage -> {
                                for (String call : REQUIRED_CALLS) {
                                    coverage.check(call).count(n -> n > 0);
                                }
                            });
        }
    }

    private static Arbitrary<ActionChain<Machine>> chains(int pageSize) {
        Steps s = new Steps(pageSize);
        return ActionChain.startWith(() -> new Machine(pageSize))
                .withAction(7, independent(s.create()))
                .withAction(8, independent(s.write()))
                .withAction(2, independent(s.read()))
                .withAction(2, independent(s.truncate()))
                .withAction(3, independent(s.chmod()))
                .withAction(2, independent(s.chown()))
                .withAction(3, independent(s.link()))
                .withAction(3, independent(s.symlink()))
                .withAction(5, independent(s.rename()))
                .withAction(4, independent(s.unlink()))
                .withAction(4, independent(s.mkdir()))
                .withAction(3, independent(s.rmdir()))
                .withAction(2, independent(s.mount()))
                .withAction(3, independent(s.remount()))
                .withAction(3, independent(s.umount()))
                .withAction(2, independent(s.stat()))
                .withAction(3, whileFewHeld(s.openHeld()))
                .withAction(4, onHeld(s::writeHeld))
                .withAction(1, onHeld(s::readHeld))
                .withAction(1, onHeld((i, who) -> Arbitraries.just(new Step.CloseHeld(i, who))))
                .withMaxTransformations(MAX_STEPS)
                .improveShrinkingWith(ModelChanges::new);
    }

    private static Transformer<Machine> transformer(Step step) {
        return Transformer.mutate(step.toString(), m -> m.apply(step));
    }

    private static Action.Independent<Machine> independent(Arbitrary<? extends Step> steps) {
        return () -> steps.map(KernelModelProperties::transformer);
    }

    /** Opening a descriptor to keep, while fewer than three are kept. */
    private static Action.Independent<Machine> whileFewHeld(Arbitrary<? extends Step> steps) {
        return new Action.Independent<>() {
            @Override
            public boolean precondition(Machine m) {
                return m.model.handles.size() < 3;
            }

            @Override
            public Arbitrary<Transformer<Machine>> transformer() {
                return steps.map(KernelModelProperties::transformer);
            }
        };
    }

    /** A step on one of the kept descriptors (index and the identity that opened it). */
    private static Action.Dependent<Machine> onHeld(
            BiFunction<Integer, Who, Arbitrary<? extends Step>> steps) {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(Machine m) {
                return !m.model.handles.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Machine>> transformer(Machine m) {
                List<Model.Handle> held = List.copyOf(m.model.handles);
                return Arbitraries.integers()
                        .between(0, held.size() - 1)
                        .flatMap(
                                i ->
                                        steps.apply(i, held.get(i).who())
                                                .map(KernelModelProperties::transformer));
            }
        };
    }

    /** Lets shrinking drop steps that changed nothing in the model. */
    private static final class ModelChanges implements ChangeDetector<Machine> {
        private int before;

        @Override
        public void before(Machine m) {
            before = m.model.version;
        }

        @Override
        public boolean hasChanged(Machine m) {
            return m.model.version != before;
        }
    }

    /**
     * The arbitraries: a small universe of names (so calls collide), identities weighted towards
     * root and the owner, modes that exercise set-id and sticky rules, and offsets and lengths
     * around a few pages.
     */
    private static final class Steps {
        private final int pageSize;

        Steps(int pageSize) {
            this.pageSize = pageSize;
        }

        Arbitrary<Who> who() {
            return Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.just(Who.ROOT)),
                    Tuple.of(3, Arbitraries.just(Who.OWNER)),
                    Tuple.of(2, Arbitraries.just(Who.MEMBER)),
                    Tuple.of(2, Arbitraries.just(Who.OTHER)));
        }

        /**
         * A directory and a name in it. Besides real directories the parents include a symbolic
         * link to one (/a/s), a file (ENOTDIR), a loop (/l, ELOOP) and usually missing /x (ENOENT).
         * Some paths end with a slash, or with "." or "..", and some are "/" itself.
         */
        Arbitrary<String> anyPath() {
            Arbitrary<String> parent =
                    Arbitraries.frequencyOf(
                            Tuple.of(5, Arbitraries.just("/")),
                            Tuple.of(4, Arbitraries.just("/a")),
                            Tuple.of(2, Arbitraries.just("/a/b")),
                            Tuple.of(5, Arbitraries.just("/m")),
                            Tuple.of(2, Arbitraries.just("/m/a")),
                            Tuple.of(1, Arbitraries.just("/a/s")),
                            Tuple.of(1, Arbitraries.just("/f")),
                            Tuple.of(1, Arbitraries.just("/l")),
                            Tuple.of(1, Arbitraries.just("/x")));
            Arbitrary<String> name = Arbitraries.of("a", "b", "f", "g", "l", "s", "m", "x");
            Arbitrary<String> path =
                    Arbitraries.frequencyOf(
                            Tuple.of(12, Combinators.combine(parent, name).as(Format::child)),
                            Tuple.of(1, Arbitraries.just("/m")),
                            Tuple.of(1, Arbitraries.just("/a")));
            Arbitrary<String> dots =
                    Combinators.combine(
                                    Arbitraries.of("", "/a", "/a/b", "/m", "/m/a", "/a/s", "/f"),
                                    Arbitraries.of("/.", "/.."))
                            .as(String::concat);
            return Arbitraries.frequencyOf(
                    Tuple.of(24, path),
                    Tuple.of(2, path.map(p -> p + "/")),
                    Tuple.of(2, dots),
                    Tuple.of(1, Arbitraries.just("/")));
        }

        /** Mostly names that hold files: f and g in the directories that usually exist. */
        Arbitrary<String> filePath() {
            Arbitrary<String> parent =
                    Arbitraries.frequencyOf(
                            Tuple.of(3, Arbitraries.just("/")),
                            Tuple.of(3, Arbitraries.just("/a")),
                            Tuple.of(4, Arbitraries.just("/m")),
                            Tuple.of(1, Arbitraries.just("/a/b")),
                            Tuple.of(1, Arbitraries.just("/a/s")));
            Arbitrary<String> name =
                    Arbitraries.frequencyOf(
                            Tuple.of(5, Arbitraries.just("f")),
                            Tuple.of(4, Arbitraries.just("g")),
                            Tuple.of(1, Arbitraries.just("s")));
            return Combinators.combine(parent, name).as(Format::child);
        }

        /** Any path, leaning towards files. */
        Arbitrary<String> path() {
            return Arbitraries.frequencyOf(Tuple.of(1, filePath()), Tuple.of(2, anyPath()));
        }

        /** A path for content calls: mostly files. */
        Arbitrary<String> contentPath() {
            return Arbitraries.frequencyOf(Tuple.of(4, filePath()), Tuple.of(1, anyPath()));
        }

        Arbitrary<String> linkTarget() {
            return Arbitraries.of(
                    "l", "/l", "a", "/a", "b", "../a", "/a/b", "f", "/f", "/m", "/m/f", "x", "s",
                    "../l", "/a/s/g", "g");
        }

        /**
         * Offsets up to four pages, uniformly, some just before a page boundary, and -1 (EINVAL).
         */
        Arbitrary<Long> offset() {
            return Arbitraries.frequencyOf(
                    Tuple.of(
                            12,
                            Arbitraries.longs()
                                    .between(0, 4L * pageSize)
                                    .withDistribution(UNIFORM)),
                    Tuple.of(
                            4,
                            Arbitraries.integers().between(1, 4).map(k -> (long) k * pageSize - 3)),
                    Tuple.of(1, Arbitraries.just(-1L)));
        }

        /** Lengths up to two pages, uniformly, and some tiny ones. */
        Arbitrary<Integer> length() {
            return Arbitraries.frequencyOf(
                    Tuple.of(1, Arbitraries.integers().between(1, 16)),
                    Tuple.of(
                            3,
                            Arbitraries.integers()
                                    .between(1, 2 * pageSize)
                                    .withDistribution(UNIFORM)));
        }

        Arbitrary<Step.Create> create() {
            Arbitrary<Integer> flags =
                    Combinators.combine(
                                    Arbitraries.of(O_RDONLY, O_WRONLY, O_RDWR),
                                    Arbitraries.of(0, 0, O_EXCL),
                                    Arbitraries.of(0, 0, 0, O_TRUNC),
                                    Arbitraries.of(0, 0, 0, 0, O_NOFOLLOW))
                            .as(
                                    (acc, excl, trunc, nofollow) ->
                                            acc | O_CREAT | excl | trunc | nofollow);
            Arbitrary<Integer> mode =
                    Arbitraries.of(0644, 0600, 0666, 0640, 0604, 0755, 04755, 02775);
            return Combinators.combine(who(), contentPath(), flags, mode).as(Step.Create::new);
        }

        Arbitrary<Step.Write> write() {
            return Combinators.combine(
                            who(),
                            contentPath(),
                            offset(),
                            length(),
                            Arbitraries.integers().between(0, 255))
                    .as(Step.Write::new);
        }

        Arbitrary<Step.Read> read() {
            return Combinators.combine(who(), contentPath(), offset(), length()).as(Step.Read::new);
        }

        Arbitrary<Step.Truncate> truncate() {
            Arbitrary<Long> size =
                    Arbitraries.frequencyOf(
                            Tuple.of(2, Arbitraries.just(0L)),
                            Tuple.of(1, Arbitraries.just(-1L)),
                            Tuple.of(
                                    6,
                                    Arbitraries.longs()
                                            .between(0, 3L * pageSize)
                                            .withDistribution(UNIFORM)));
            return Combinators.combine(who(), contentPath(), size).as(Step.Truncate::new);
        }

        /** Modes including set-id bits with and without group-execute, and the sticky bit. */
        Arbitrary<Step.Chmod> chmod() {
            Arbitrary<Integer> mode =
                    Arbitraries.of(
                            0644, 0600, 0666, 0755, 0700, 0711, 0777, 0, 01777, 04755, 04666, 02755,
                            02664, 02666, 06777, 0750, 0640, 0775);
            return Combinators.combine(who(), path(), mode).as(Step.Chmod::new);
        }

        Arbitrary<Step.Chown> chown() {
            Arbitrary<Integer> id = Arbitraries.of(-1, -1, 0, 1000, 1001, 1002);
            return Combinators.combine(who(), path(), id, id).as(Step.Chown::new);
        }

        Arbitrary<Step.Link> link() {
            return Combinators.combine(who(), path(), path()).as(Step.Link::new);
        }

        Arbitrary<Step.Symlink> symlink() {
            return Combinators.combine(who(), linkTarget(), path()).as(Step.Symlink::new);
        }

        Arbitrary<Step.Rename> rename() {
            return Combinators.combine(who(), path(), path()).as(Step.Rename::new);
        }

        Arbitrary<Step.Unlink> unlink() {
            return Combinators.combine(who(), path()).as(Step.Unlink::new);
        }

        Arbitrary<Step.Mkdir> mkdir() {
            Arbitrary<Integer> mode = Arbitraries.of(0755, 0777, 0700, 0711, 01777, 0750);
            return Combinators.combine(who(), anyPath(), mode).as(Step.Mkdir::new);
        }

        Arbitrary<Step.Rmdir> rmdir() {
            return Combinators.combine(who(), anyPath()).as(Step.Rmdir::new);
        }

        /** Mostly root; others get EPERM once the target resolves. */
        private Arbitrary<Who> mounter() {
            return Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.just(Who.ROOT)),
                    Tuple.of(1, Arbitraries.just(Who.OWNER)),
                    Tuple.of(1, Arbitraries.just(Who.OTHER)));
        }

        private Arbitrary<String> mountTarget() {
            return Arbitraries.frequencyOf(
                    Tuple.of(15, Arbitraries.just("/m")),
                    Tuple.of(2, Arbitraries.just("/m/a")),
                    Tuple.of(1, Arbitraries.just("/a/b")),
                    Tuple.of(1, Arbitraries.just("/a")),
                    Tuple.of(1, Arbitraries.just("/f")),
                    Tuple.of(1, Arbitraries.just("/x")),
                    Tuple.of(1, Arbitraries.just("/l")));
        }

        Arbitrary<Step.Mount> mount() {
            return Combinators.combine(mounter(), mountTarget(), Arbitraries.of(true, false))
                    .as(Step.Mount::new);
        }

        Arbitrary<Step.Remount> remount() {
            Arbitrary<String> target =
                    Arbitraries.frequencyOf(
                            Tuple.of(6, mountTarget()), Tuple.of(1, Arbitraries.just("/")));
            Arbitrary<Boolean> ro =
                    Arbitraries.frequencyOf(
                            Tuple.of(3, Arbitraries.just(true)),
                            Tuple.of(2, Arbitraries.just(false)));
            return Combinators.combine(mounter(), target, ro).as(Step.Remount::new);
        }

        Arbitrary<Step.Umount> umount() {
            return Combinators.combine(mounter(), mountTarget()).as(Step.Umount::new);
        }

        Arbitrary<Step.StatPath> stat() {
            return Combinators.combine(who(), path(), Arbitraries.of(true, false))
                    .as(Step.StatPath::new);
        }

        /** Mostly files; sometimes the directory /m, which keeps a volume mounted there busy. */
        Arbitrary<Step.OpenHeld> openHeld() {
            Arbitrary<Boolean> writable =
                    Arbitraries.frequencyOf(
                            Tuple.of(3, Arbitraries.just(true)),
                            Tuple.of(1, Arbitraries.just(false)));
            Arbitrary<String> path =
                    Arbitraries.frequencyOf(
                            Tuple.of(4, contentPath()), Tuple.of(1, Arbitraries.just("/m")));
            return Combinators.combine(who(), path, writable).as(Step.OpenHeld::new);
        }

        Arbitrary<Step.WriteHeld> writeHeld(int index, Who who) {
            return Combinators.combine(offset(), length(), Arbitraries.integers().between(0, 255))
                    .as((off, len, seed) -> new Step.WriteHeld(index, who, off, len, seed));
        }

        Arbitrary<Step.ReadHeld> readHeld(int index, Who who) {
            return Combinators.combine(offset(), length())
                    .as((off, len) -> new Step.ReadHeld(index, who, off, len));
        }
    }
}
