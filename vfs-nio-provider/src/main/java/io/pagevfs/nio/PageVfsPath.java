package io.pagevfs.nio;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path of a PageVFS filesystem: Unix syntax, held normalised as the JDK's UnixPath holds it (no
 * repeated or trailing slashes; "" is the empty path). Pure syntax except for {@link
 * #toAbsolutePath()}, {@link #toRealPath} and {@link #toUri()}, which ask the filesystem's process.
 */
final class PageVfsPath implements Path {
    private final PageVfsFileSystem fs;
    private final String path;
    private volatile int[] offsets;

    PageVfsPath(PageVfsFileSystem fs, String input) {
        this.fs = fs;
        this.path = normalizeAndCheck(input);
    }

    private PageVfsPath(PageVfsFileSystem fs, String normalized, boolean trusted) {
        this.fs = fs;
        this.path = normalized;
    }

    static String normalizeAndCheck(String input) {
        int n = input.length();
        StringBuilder sb = null;
        char prev = 0;
        for (int i = 0; i < n; i++) {
            char c = input.charAt(i);
            if (c == '\0') {
                throw new InvalidPathException(input, "Nul character not allowed");
            }
            if (c == '/' && prev == '/' && sb == null) {
                sb = new StringBuilder(n).append(input, 0, i);
            }
            if (sb != null && !(c == '/' && prev == '/')) {
                sb.append(c);
            }
            prev = c;
        }
        String s = sb == null ? input : sb.toString();
        if (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    String pathString() {
        return path;
    }

    /** The path as the kernel takes it: the empty path means the working directory. */
    String kernelPath() {
        return path.isEmpty() ? "." : path;
    }

    static PageVfsPath narrow(Path p) {
        Objects.requireNonNull(p, "path");
        if (!(p instanceof PageVfsPath pp)) {
            throw new ProviderMismatchException(
                    "not a pagevfs path: " + p + " (" + p.getClass().getName() + ")");
        }
        return pp;
    }

    private PageVfsPath sameFs(Path other) {
        PageVfsPath p = narrow(other);
        return p;
    }

    private int[] offsets() {
        int[] o = offsets;
        if (o == null) {
            List<Integer> list = new ArrayList<>();
            if (!path.isEmpty()) {
                int i = path.charAt(0) == '/' ? 1 : 0;
                if (i < path.length()) {
                    list.add(i);
                }
                for (; i < path.length(); i++) {
                    if (path.charAt(i) == '/') {
                        list.add(i + 1);
                    }
                }
            } else {
                list.add(0);
            }
            o = list.stream().mapToInt(Integer::intValue).toArray();
            offsets = o;
        }
        return o;
    }

    private String element(int i) {
        int[] o = offsets();
        int end = i + 1 < o.length ? o[i + 1] - 1 : path.length();
        return path.substring(o[i], end);
    }

    @Override
    public PageVfsFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public Path getRoot() {
        return isAbsolute() ? new PageVfsPath(fs, "/", true) : null;
    }

    @Override
    public Path getFileName() {
        if (path.isEmpty()) {
            return this;
        }
        if (path.equals("/")) {
            return null;
        }
        int last = path.lastIndexOf('/');
        return last < 0 ? this : new PageVfsPath(fs, path.substring(last + 1), true);
    }

    @Override
    public Path getParent() {
        int count = getNameCount();
        if (count == 0 || (count == 1 && !isAbsolute())) {
            return null;
        }
        int last = path.lastIndexOf('/');
        return new PageVfsPath(fs, last == 0 ? "/" : path.substring(0, last), true);
    }

    @Override
    public int getNameCount() {
        return path.equals("/") ? 0 : offsets().length;
    }

    @Override
    public Path getName(int index) {
        Preconditions.checkArgument(
                index >= 0 && index < getNameCount(), "index out of range: %s", index);
        return new PageVfsPath(fs, element(index), true);
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        int count = getNameCount();
        if (beginIndex < 0 || beginIndex >= count || endIndex > count || beginIndex >= endIndex) {
            throw new IllegalArgumentException(
                    "bad subpath range [" + beginIndex + ", " + endIndex + ") of " + count);
        }
        int[] o = offsets();
        int end = endIndex < o.length ? o[endIndex] - 1 : path.length();
        return new PageVfsPath(fs, path.substring(o[beginIndex], end), true);
    }

    private String[] names() {
        String[] out = new String[getNameCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = element(i);
        }
        return out;
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(Objects.requireNonNull(other) instanceof PageVfsPath o) || o.fs != fs) {
            return false;
        }
        if (o.isAbsolute() != isAbsolute() || (o.path.isEmpty() && !path.isEmpty())) {
            return false;
        }
        String[] mine = names();
        String[] theirs = o.names();
        return theirs.length <= mine.length
                && Arrays.equals(theirs, 0, theirs.length, mine, 0, theirs.length);
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(Objects.requireNonNull(other) instanceof PageVfsPath o) || o.fs != fs) {
            return false;
        }
        if (o.isAbsolute()) {
            return o.path.equals(path);
        }
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        String[] mine = names();
        String[] theirs = o.names();
        int k = mine.length - theirs.length;
        return k >= 0 && Arrays.equals(theirs, 0, theirs.length, mine, k, mine.length);
    }

    @Override
    public Path normalize() {
        String[] names = names();
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else if (n.equals("..") && isAbsolute()) {
                continue;
            } else {
                out.add(n);
            }
        }
        String joined = String.join("/", out);
        return new PageVfsPath(fs, isAbsolute() ? "/" + joined : joined, true);
    }

    @Override
    public Path resolve(Path other) {
        PageVfsPath o = sameFs(other);
        if (o.isAbsolute()) {
            return o;
        }
        if (o.path.isEmpty()) {
            return this;
        }
        if (path.isEmpty()) {
            return o;
        }
        return new PageVfsPath(fs, path.equals("/") ? "/" + o.path : path + "/" + o.path, true);
    }

    @Override
    public Path resolve(String other) {
        return resolve(new PageVfsPath(fs, other));
    }

    /**
     * As the JDK's UnixPath: both paths normalised first if either has "." or ".."; a base whose
     * unmatched rest still has ".." cannot be relativised (IllegalArgumentException).
     */
    @Override
    public Path relativize(Path other) {
        PageVfsPath child = sameFs(other);
        if (child.equals(this)) {
            return new PageVfsPath(fs, "", true);
        }
        if (child.isAbsolute() != isAbsolute()) {
            throw new IllegalArgumentException("'other' is different type of Path");
        }
        if (path.isEmpty()) {
            return child;
        }
        PageVfsPath base = this;
        if (base.hasDotOrDotDot() || child.hasDotOrDotDot()) {
            base = (PageVfsPath) base.normalize();
            child = (PageVfsPath) child.normalize();
        }
        String[] a = base.names();
        String[] b = child.names();
        int common = 0;
        while (common < a.length && common < b.length && a[common].equals(b[common])) {
            common++;
        }
        String childRest =
                common == b.length
                        ? ""
                        : String.join("/", Arrays.asList(b).subList(common, b.length));
        if (common == a.length) {
            return new PageVfsPath(fs, childRest, true);
        }
        List<String> baseRest = Arrays.asList(a).subList(common, a.length);
        if (baseRest.contains(".") || baseRest.contains("..")) {
            throw new IllegalArgumentException(
                    "Unable to compute relative  path from " + this + " to " + other);
        }
        if (baseRest.size() == 1 && baseRest.get(0).isEmpty()) {
            return new PageVfsPath(fs, childRest, true);
        }
        String up = "../".repeat(baseRest.size());
        return new PageVfsPath(
                fs, childRest.isEmpty() ? up.substring(0, up.length() - 1) : up + childRest, true);
    }

    private boolean hasDotOrDotDot() {
        for (String n : names()) {
            if (n.equals(".") || n.equals("..")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public URI toUri() {
        String abs = ((PageVfsPath) toAbsolutePath()).path;
        if (!abs.endsWith("/") && fs.isDirectoryQuietly(abs)) {
            abs = abs + "/";
        }
        return Uris.toUri(fs.name(), abs);
    }

    @Override
    public Path toAbsolutePath() {
        if (isAbsolute()) {
            return this;
        }
        return new PageVfsPath(fs, fs.workingDirectory(), true).resolve(this);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        return fs.provider().toRealPath(this, options);
    }

    @Override
    public WatchKey register(
            WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        return fs.register(this, watcher, events, modifiers);
    }

    @Override
    public int compareTo(Path other) {
        return path.compareTo(((PageVfsPath) other).path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageVfsPath p && p.fs == fs && p.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
