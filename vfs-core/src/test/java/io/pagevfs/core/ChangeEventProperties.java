package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Random sequences of namespace, content and attribute calls in two watched directories and one
 * unwatched one, against a deliberately simple model of what inotify reports for each call: the
 * events of every call (as a multiset, since one call may report several names of one inode) and
 * the errno of every refused call, which must report nothing. The kernel's invariants, the watched
 * names included, hold after every step.
 */
class ChangeEventProperties {
    private static final List<String> DIRS = List.of("a", "b", "c");
    private static final List<String> NAMES = List.of("x", "y");

    /** The model: which file each path names (by a model id), and which directories are watched. */
    static final class Model {
        final Map<String, Integer> files = new HashMap<>();
        final Set<String> watched = new TreeSet<>(Set.of("a", "b"));
        int nextId;

        /** Every watched name of the file {@code id}, as "dir KIND name" events. */
        List<String> modifyEvents(int id) {
            List<String> out = new ArrayList<>();
            files.forEach(
                    (path, f) -> {
                        String dir = path.substring(0, 1);
                        if (f == id && watched.contains(dir)) {
                            out.add(dir + " MODIFIED " + path.substring(2));
                        }
                    });
            return out;
        }

        void event(List<String> out, String path, ChangeKind kind) {
            String dir = path.substring(0, 1);
            if (watched.contains(dir)) {
                out.add(dir + " " + kind + " " + path.substring(2));
            }
        }
    }

    /** What the model expects of one call: an errno, or success with these events. */
    record Outcome(@Nullable Errno errno, List<String> events) {
        static Outcome fail(Errno e) {
            return new Outcome(e, List.of());
        }
    }

    interface Action {
        void run(Process p, World w) throws VfsException;

        Outcome expect(Model m);
    }

    /** The kernel side: the process, the watches and what they heard. */
    static final class World {
        final Vfs vfs;
        final Process p;
        final Map<String, DirectoryWatch> watches = new LinkedHashMap<>();
        final List<String> heard = new CopyOnWriteArrayList<>();

        World() throws VfsException {
            vfs = Vfs.create(VfsConfig.builder().pageSize(512).build());
            p = vfs.newProcess(Credentials.root());
            for (String d : DIRS) {
                p.mkdir("/" + d, 0755);
            }
            watch("a");
            watch("b");
        }

        void watch(String dir) throws VfsException {
            watches.put(
                    dir,
                    p.watch(
                            "/" + dir,
                            new DirectoryListener() {
                                @Override
                                public void changed(ChangeKind kind, String name) {
                                    heard.add(dir + " " + kind + " " + name);
                                }

                                @Override
                                public void watchEnded() {
                                    heard.add(dir + " ENDED");
                                }
                            }));
        }
    }

    record Create(String path) implements Action {
        @Override
        public void run(Process p, World w) throws VfsException {
            p.close(p.open("/" + path, Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_WRONLY, 0644));
        }

        @Override
        public Outcome expect(Model m) {
            if (m.files.containsKey(path)) {
                return Outcome.fail(Errno.EEXIST);
            }
            m.files.put(path, m.nextId++);
            List<String> out = new ArrayList<>();
            m.event(out, path, ChangeKind.CREATED);
            return new Outcome(null, out);
        }
    }

    record Write(String path, int bytes) implements Action {
        @Override
        public void run(Process p, World w) throws VfsException {
            int fd = p.open("/" + path, Fcntl.O_WRONLY | Fcntl.O_APPEND);
            try {
                p.write(fd, ByteBuffer.allocate(bytes));
            } finally {
                p.close(fd);
            }
        }

        @Override
        public Outcome expect(Model m) {
            Integer id = m.files.get(path);
            if (id == null) {
                return Outcome.fail(Errno.ENOENT);
            }
            return new Outcome(null, bytes == 0 ? List.of() : m.modifyEvents(id));
        }
    }

    /** truncate(2) or chmod(2): both report a modification of every watched name. */
    record Touch(String path, boolean chmod) implements Action {
        @Override
        public void run(Process p, World w) throws VfsException {
            if (chmod) {
                p.chmod("/" + path, 0600);
            } else {
                p.truncate("/" + path, 1);
            }
        }

        @Override
        public Outcome expect(Model m) {
            Integer id = m.files.get(path);
            return id == null ? Outcome.fail(Errno.ENOENT) : new Outcome(null, m.modifyEvents(id));
        }
    }

    record Unlink(String path) implements Action {
        @Override
        public void run(Process p, World w) throws VfsException {
            p.unlink("/" + path);
        }

        @Override
        public Outcome expect(Model m) {
            if (m.files.remove(path) == null) {
                return Outcome.fail(Errno.ENOENT);
            }
            List<String> out = new ArrayList<>();
            m.event(out, path, ChangeKind.DELETED);
            return new Outcome(null, out);
        }
    }

    record Link(String from, String to) implements Action {
        @Override
        public void run(Process p, World w) throws VfsException {
            p.link("/" + from, "/" + to);
        }

        @Override
        public Outcome expect(Model m) {
            Integer id = m.files.get(from);
            if (id == null) {
                return Outcome.fail(Errno.ENOENT);
            }
            if (m.files.containsKey(to)) {
                return Outcome.fail(Errno.EEXIST);
            }
            m.files.put(to, id);
            List<String> out = new ArrayList<>();
            m.event(out, to, ChangeKind.CREATED);
            return new Outcome(null, out);
        }
    }

    record Rename(String from, String to) implements Action {
        @Override
        public void run(Process p, World w) throws VfsException {
            p.rename("/" + from, "/" + to);
        }

        @Override
        public Outcome expect(Model m) {
            Integer id = m.files.get(from);
            if (id == null) {
                return Outcome.fail(Errno.ENOENT);
            }
            if (id.equals(m.files.get(to))) {
                return new Outcome(null, List.of()); // two names of one file: a no-op
            }
            m.files.remove(from);
            m.files.put(to, id);
            List<String> out = new ArrayList<>();
            m.event(out, from, ChangeKind.DELETED);
            m.event(out, to, ChangeKind.CREATED);
            return new Outcome(null, out);
        }
    }

    /** Closes the watch on a watched directory, or watches an unwatched one again. */
    record ToggleWatch(String dir) implements Action {
        @Override
        public void run(Process p, World w) throws VfsException {
            DirectoryWatch old = w.watches.remove(dir);
            if (old != null) {
                old.close();
            } else {
                w.watch(dir);
            }
        }

        @Override
        public Outcome expect(Model m) {
            if (!m.watched.remove(dir)) {
                m.watched.add(dir);
            }
            return new Outcome(null, List.of());
        }
    }

    @Property
    void eachCall_reportsWhatInotifyWould(@ForAll("actions") List<Action> actions)
            throws VfsException {
        World w = new World();
        Model m = new Model();
        try {
            for (Action a : actions) {
                Outcome expected = a.expect(m);
                Errno got = null;
                try {
                    a.run(w.p, w);
                } catch (VfsException e) {
                    got = e.errno();
                }
                List<String> heard = new ArrayList<>(w.heard);
                w.heard.clear();
                Statistics.collect(
                        a.getClass().getSimpleName(),
                        got == null ? (heard.isEmpty() ? "silent" : "reported") : got);
                assertEquals(expected.errno(), got, a + ": errno");
                assertEquals(sorted(expected.events()), sorted(heard), a + ": events");
                w.vfs.checkInvariants();
            }
        } finally {
            w.vfs.close();
        }
        Statistics.coverage(
                c -> {
                    for (String kind : List.of("Rename", "Link", "Write", "Touch", "Unlink")) {
                        c.check(kind, "reported").count((Integer n) -> n > 0);
                    }
                });
    }

    private static List<String> sorted(List<String> events) {
        List<String> out = new ArrayList<>(events);
        out.sort(null);
        return out;
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<String> path =
                Combinators.combine(Arbitraries.of(DIRS), Arbitraries.of(NAMES))
                        .as((d, n) -> d + "/" + n);
        Arbitrary<Action> action =
                Arbitraries.frequencyOf(
                        Tuple.of(6, path.map(Create::new)),
                        Tuple.of(
                                3,
                                Combinators.combine(path, Arbitraries.integers().between(0, 2))
                                        .as(Write::new)),
                        Tuple.of(
                                2,
                                Combinators.combine(path, Arbitraries.of(true, false))
                                        .as(Touch::new)),
                        Tuple.of(2, path.map(Unlink::new)),
                        Tuple.of(2, Combinators.combine(path, path).as(Link::new)),
                        Tuple.of(3, Combinators.combine(path, path).as(Rename::new)),
                        Tuple.of(1, Arbitraries.of("a", "c").map(ToggleWatch::new)));
        return action.list().ofMinSize(5).ofMaxSize(40);
    }
}
