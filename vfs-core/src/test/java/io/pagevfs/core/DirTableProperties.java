package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link DirTable} (open addressing, backward-shift deletion) against a {@link LinkedHashMap}, with
 * whole-name lookups and lookups of a name embedded in a longer path.
 */
class DirTableProperties {
    private static Inode[] inodes;

    @BeforeContainer
    static void makeInodes() {
        Volume v = new Volume(1, VolumeSpec.of("t", 1 << 20), 0755, 0, 0, 0);
        inodes = new Inode[8];
        for (int i = 0; i < inodes.length; i++) {
            inodes[i] = new RegularFile(v, 0644, 0, 0, 0);
        }
    }

    sealed interface Op permits Put, Remove, RemoveSeen {}

    record Put(String name, int inode) implements Op {}

    record Remove(String name) implements Op {}

    /** Removes a name put earlier (the {@code pick}-th, modulo how many there were). */
    record RemoveSeen(int pick) implements Op {}

    /**
     * Names that collide: every string of "Aa"/"BB" blocks has the same String hash, so they all
     * share one home slot at every capacity, and short names crowd the small tables.
     */
    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> colliding =
                Arbitraries.of("Aa", "BB")
                        .list()
                        .ofMinSize(1)
                        .ofMaxSize(4)
                        .map(l -> String.join("", l));
        return Arbitraries.oneOf(
                colliding,
                Arbitraries.strings().withChars("abc").ofMinLength(1).ofMaxLength(3),
                Arbitraries.strings().withChars("ée€😀x.").ofMinLength(1).ofMaxLength(4),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> put =
                net.jqwik.api.Combinators.combine(names(), Arbitraries.integers().between(0, 7))
                        .as(Put::new);
        Arbitrary<Op> remove = names().map(Remove::new);
        Arbitrary<Op> removeSeen = Arbitraries.integers().between(0, 1000).map(RemoveSeen::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(5, put), Tuple.of(1, remove), Tuple.of(2, removeSeen))
                .list()
                .ofMaxSize(100)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    @Property
    void dirTable_behavesLikeAMap(@ForAll("ops") List<Op> ops) {
        DirTable table = new DirTable();
        Map<String, Inode> model = new LinkedHashMap<>();
        List<String> everSeen = new ArrayList<>();
        for (Op op : ops) {
            if (op instanceof Put put) {
                table.put(put.name(), inodes[put.inode()]);
                model.put(put.name(), inodes[put.inode()]);
                if (!everSeen.contains(put.name())) {
                    everSeen.add(put.name());
                }
            } else {
                String name = nameOf(op, everSeen);
                Statistics.label("remove").collect(model.containsKey(name) ? "present" : "absent");
                assertSame(model.remove(name), table.remove(name), "remove " + name);
            }
            checkSame(table, model, everSeen);
        }
        Statistics.label("size")
                .collect(model.size() < 10 ? "<10" : model.size() < 40 ? "<40" : "40+");
        Statistics.label("remove").coverage(c -> c.check("present").count(n -> n > 0));
        Statistics.label("size").coverage(c -> c.check("<40").count(n -> n > 0));
    }

    @Property
    void dirTable_sameHistory_iteratesInTheSameOrder(@ForAll("ops") List<Op> ops) {
        DirTable a = new DirTable();
        DirTable b = new DirTable();
        for (Op op : ops) {
            for (DirTable t : new DirTable[] {a, b}) {
                if (op instanceof Put put) {
                    t.put(put.name(), inodes[put.inode()]);
                } else {
                    t.remove(nameOf(op, List.of("x")));
                }
            }
        }
        assertEquals(order(a), order(b));
    }

    @Property
    void hash_ofARegion_isTheSubstringHashCode(
            @ForAll("names") String prefix,
            @ForAll("names") String name,
            @ForAll("names") String suffix) {
        String path = prefix + "/" + name + "/" + suffix;
        int start = prefix.length() + 1;
        assertEquals(name.hashCode(), DirTable.hash(path, start, start + name.length()));
        assertEquals(0, DirTable.hash(path, start, start));
    }

    private static String nameOf(Op remove, List<String> seen) {
        if (remove instanceof RemoveSeen r) {
            return seen.isEmpty() ? "none" : seen.get(r.pick() % seen.size());
        }
        return ((Remove) remove).name();
    }

    private static List<String> order(DirTable t) {
        List<String> out = new ArrayList<>();
        t.forEach((name, inode) -> out.add(name));
        return out;
    }

    private static void checkSame(DirTable table, Map<String, Inode> model, List<String> probes) {
        assertEquals(model.size(), table.size());
        assertEquals(model.isEmpty(), table.isEmpty());
        Map<String, Inode> visited = new HashMap<>();
        table.forEach(
                (name, inode) -> assertNull(visited.put(name, inode), "visited twice: " + name));
        assertEquals(model, visited);
        for (String name : probes) {
            Inode expected = model.get(name);
            assertSame(expected, table.get(name), "get " + name);
            String path = "x/" + name + "/y";
            assertSame(expected, table.get(path, 2, 2 + name.length()), "region get " + name);
            String prefixed = name + name;
            assertSame(model.get(prefixed), table.get(prefixed + "/", 0, prefixed.length()));
        }
        assertNull(table.get("/", 0, 0), "the empty region names nothing");
    }

    @Example
    void manyCollidingNames_putAndRemoveInterleaved() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            StringBuilder sb = new StringBuilder();
            for (int bit = 0; bit < 10; bit++) {
                sb.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            }
            names.add(sb.toString());
        }
        assertTrue(names.stream().allMatch(n -> n.hashCode() == names.get(0).hashCode()));
        DirTable table = new DirTable();
        Map<String, Inode> model = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            table.put(names.get(i), inodes[i % 8]);
            model.put(names.get(i), inodes[i % 8]);
            if (i % 3 == 2) {
                String victim = names.get(i / 2);
                assertSame(model.remove(victim), table.remove(victim));
            }
        }
        checkSame(table, model, names);
        for (String n : names) {
            assertSame(model.remove(n), table.remove(n));
        }
        assertEquals(0, table.size());
        assertNull(table.remove("Aa"));
        checkSame(table, model, names.subList(0, 10));
    }
}
