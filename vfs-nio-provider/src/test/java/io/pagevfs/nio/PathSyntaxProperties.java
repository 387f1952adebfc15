package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Path syntax is the JDK's UnixPath's, operation by operation: random path strings (empty names,
 * repeated and trailing slashes, "." and "..", absolute and relative) give PageVFS paths whose
 * every pure operation answers as the default filesystem's paths answer. Jimfs is counted, not
 * asserted (it differs, e.g. on relativize with "..").
 */
class PathSyntaxProperties {
    private static PageVfsFileSystem pageVfs;
    private static FileSystem jimfs;

    @BeforeContainer
    static void open() throws IOException {
        pageVfs = PageVfs.newFileSystem();
        jimfs = Jimfs.newFileSystem(Configuration.unix());
    }

    @AfterContainer
    static void close() throws IOException {
        pageVfs.close();
        jimfs.close();
    }

    @Property
    void pureOperations_answerAsTheJdk(@ForAll("paths") String a, @ForAll("paths") String b) {
        List<String> expected = describe(FileSystems.getDefault(), a, b);
        assertEquals(expected, describe(pageVfs, a, b), "'" + a + "' with '" + b + "'");
        Statistics.label("jimfs agrees").collect(expected.equals(describe(jimfs, a, b)));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> name = Arbitraries.of("a", "b", ".", "..", "", "\u00e9 x");
        return name.list()
                .ofMaxSize(4)
                .map(l -> String.join("/", l))
                .flatMap(s -> Arbitraries.of(s, "/" + s, s + "/", "//" + s));
    }

    /** Every pure operation of {@code a} (and with {@code b}), or the exception type it throws. */
    static List<String> describe(FileSystem fs, String a, String b) {
        List<String> out = new ArrayList<>();
        Path p;
        Path q;
        try {
            p = fs.getPath(a);
            q = fs.getPath(b);
        } catch (RuntimeException e) {
            out.add("getPath: " + e.getClass().getSimpleName());
            return out;
        }
        out.add("toString: " + p);
        out.add("isAbsolute: " + p.isAbsolute());
        out.add("root: " + p.getRoot());
        out.add("fileName: " + p.getFileName());
        out.add("parent: " + p.getParent());
        out.add("nameCount: " + p.getNameCount());
        List<String> names = new ArrayList<>();
        p.forEach(n -> names.add(n.toString()));
        out.add("names: " + names);
        out.add("iterable names equal getName: " + sameNames(p));
        out.add("normalize: " + p.normalize());
        out.add("resolve: " + p.resolve(q));
        out.add("resolve string: " + p.resolve(b));
        out.add("resolveSibling: " + p.resolveSibling(q));
        out.add("relativize: " + attempt(() -> p.relativize(q)));
        out.add("startsWith: " + p.startsWith(q));
        out.add("endsWith: " + p.endsWith(q));
        out.add("startsWith string: " + p.startsWith(b));
        out.add("endsWith string: " + p.endsWith(b));
        out.add("equals: " + p.equals(q));
        out.add("compareTo: " + Integer.signum(p.compareTo(q)));
        out.add("subpath: " + attempt(() -> p.subpath(0, Math.max(1, p.getNameCount()))));
        out.add(
                "subpath last: "
                        + attempt(() -> p.subpath(p.getNameCount() - 1, p.getNameCount())));
        out.add("getName(-1): " + attempt(() -> p.getName(-1)));
        return out;
    }

    private static boolean sameNames(Path p) {
        int i = 0;
        for (Path n : p) {
            if (!n.equals(p.getName(i++))) {
                return false;
            }
        }
        return i == p.getNameCount();
    }

    private static String attempt(java.util.function.Supplier<Object> op) {
        try {
            return String.valueOf(op.get());
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }
}
