package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link PageTable} against a {@link TreeMap}: same pages, same count, index order, least height.
 */
class PageTableProperties {
    sealed interface Op permits Put, Truncate {}

    record Put(long index) implements Op {}

    record Truncate(long first) implements Op {}

    @Provide
    Arbitrary<Long> indices() {
        Arbitrary<Long> nearPowersOf64 =
                Arbitraries.integers()
                        .between(1, 9)
                        .flatMap(
                                k ->
                                        Arbitraries.longs()
                                                .between(-3, 3)
                                                .map(d -> Math.max(0, (1L << (6 * k)) + d)));
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 130),
                Arbitraries.longs().between(0, 1 << 20),
                nearPowersOf64,
                Arbitraries.longs().between(PageTableTest.MAX_INDEX - 200, PageTableTest.MAX_INDEX),
                Arbitraries.longs().between(0, PageTableTest.MAX_INDEX));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> put = indices().map(Put::new);
        Arbitrary<Op> truncate = indices().map(Truncate::new);
        return Arbitraries.frequencyOf(Tuple.of(4, put), Tuple.of(1, truncate))
                .list()
                .ofMaxSize(60)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    @Property
    void pageTable_behavesLikeASortedMap(@ForAll("ops") List<Op> ops) {
        PageTable table = new PageTable();
        TreeMap<Long, byte[]> model = new TreeMap<>();
        for (Op op : ops) {
            if (op instanceof Put put) {
                if (model.containsKey(put.index())) {
                    continue; // put is only defined for holes
                }
                byte[] page = new byte[1];
                table.put(put.index(), page);
                model.put(put.index(), page);
                Statistics.label("op").collect("put");
            } else if (op instanceof Truncate tr) {
                Map<Long, byte[]> dropped = model.tailMap(tr.first(), true);
                int expected = dropped.size();
                dropped.clear();
                assertEquals(expected, table.truncate(tr.first()), "dropped by " + op);
                Statistics.label("op")
                        .collect(expected > 0 ? "truncate dropping" : "truncate noop");
            }
            checkSame(table, model);
        }
        Statistics.label("op")
                .coverage(
                        c -> {
                            c.check("truncate dropping").count(n -> n > 0);
                            c.check("put").count(n -> n > 0);
                        });
    }

    private static void checkSame(PageTable table, TreeMap<Long, byte[]> model) {
        assertEquals(model.size(), table.count());
        List<Long> keys = new ArrayList<>();
        table.forEach(
                (index, page) -> {
                    keys.add(index);
                    assertSame(model.get(index), page, "page at " + index);
                });
        assertEquals(new ArrayList<>(model.keySet()), keys, "forEach order");
        for (Map.Entry<Long, byte[]> e : model.entrySet()) {
            assertSame(e.getValue(), table.get(e.getKey()));
            long next = e.getKey() + 1;
            if (!model.containsKey(next)) {
                assertNull(table.get(next));
            }
        }
        assertEquals(
                PageTableTest.minimalHeight(model.isEmpty() ? 0 : model.lastKey()),
                PageTableTest.height(table),
                "height is the least that covers the highest index");
    }
}
