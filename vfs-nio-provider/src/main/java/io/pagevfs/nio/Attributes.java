package io.pagevfs.nio;

import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Mode;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The attribute views (basic, posix, owner, unix, user) and the string forms of
 * readAttributes/setAttribute, over one {@link Target}. Names and value types are the JDK's Linux
 * provider's: {@code unix:mode} carries the file-type bits, times are {@link FileTime}s with
 * nanoseconds, {@code user:} values are byte arrays.
 */
final class Attributes {
    private Attributes() {}

    static final Set<String> VIEWS = Set.of("basic", "posix", "unix", "owner", "user");

    private static final List<String> BASIC =
            List.of(
                    "lastModifiedTime",
                    "lastAccessTime",
                    "creationTime",
                    "size",
                    "isRegularFile",
                    "isDirectory",
                    "isSymbolicLink",
                    "isOther",
                    "fileKey");
    private static final List<String> POSIX = List.of("permissions", "owner", "group");
    private static final List<String> UNIX =
            List.of("mode", "ino", "dev", "rdev", "nlink", "uid", "gid", "ctime");

    /**
     * A file as attribute calls address it: a process, a directory descriptor (or AT_FDCWD) and a
     * path.
     */
    record Target(PageVfsPath path, Process process, int dirfd, String name, boolean follow) {
        static Target of(PageVfsPath p, boolean follow) {
            return new Target(
                    p, p.getFileSystem().process(), Fcntl.AT_FDCWD, p.kernelPath(), follow);
        }

        int flags() {
            return follow ? 0 : Fcntl.AT_SYMLINK_NOFOLLOW;
        }

        Stat stat() throws IOException {
            try {
                return process.statAt(dirfd, name, flags());
            } catch (VfsException e) {
                throw Errors.translate(e, path);
            }
        }

        /**
         * stat for reading attributes: ENOTDIR (a path through a file) is NoSuchFileException where
         * the running JDK says so ({@link JdkBehaviour#ENOTDIR_IS_NO_SUCH_FILE}).
         */
        Stat statForRead() throws IOException {
            try {
                return process.statAt(dirfd, name, flags());
            } catch (VfsException e) {
                throw Errors.forAttributes(e, path);
            }
        }

        Principals principals() {
            return path.getFileSystem().principals();
        }
    }

    static Stat stat(PageVfsPath p, boolean follow) throws IOException {
        return Target.of(p, follow).stat();
    }

    /**
     * The mode for a new file from {@code posix:permissions} creation attributes, else {@code
     * defaultMode}.
     */
    static int creationMode(int defaultMode, FileAttribute<?>... attrs) {
        int mode = defaultMode;
        for (FileAttribute<?> a : attrs) {
            String name = a.name();
            if (name.equals("posix:permissions") || name.equals("unix:permissions")) {
                mode = toMode(castPermissions(a.value()));
            } else {
                throw new UnsupportedOperationException(
                        "'" + name + "' not supported as initial attribute");
            }
        }
        return mode;
    }

    @SuppressWarnings("unchecked")
    private static Set<PosixFilePermission> castPermissions(Object value) {
        if (!(value instanceof Set<?> s)) {
            throw new ClassCastException(
                    "posix:permissions must be a Set<PosixFilePermission>: " + value);
        }
        for (Object o : s) {
            if (!(o instanceof PosixFilePermission)) {
                throw new ClassCastException("not a PosixFilePermission: " + o);
            }
        }
        return (Set<PosixFilePermission>) s;
    }

    static int toMode(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    static Set<PosixFilePermission> toPermissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (0400 >> p.ordinal())) != 0) {
                out.add(p);
            }
        }
        return out;
    }

    static FileTime time(long nanos) {
        return FileTime.from(nanos, TimeUnit.NANOSECONDS);
    }

    static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    // ---- typed access -------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static <V extends FileAttributeView> V view(PageVfsPath p, Class<V> type, boolean follow) {
        return (V) view(Target.of(p, follow), type);
    }

    static FileAttributeView view(Target t, Class<?> type) {
        if (type == BasicFileAttributeView.class) {
            return new PosixView(t, "basic");
        }
        if (type == PosixFileAttributeView.class) {
            return new PosixView(t, "posix");
        }
        if (type == FileOwnerAttributeView.class) {
            return new PosixView(t, "owner");
        }
        if (type == UserDefinedFileAttributeView.class) {
            return new UserView(t);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static <A extends BasicFileAttributes> A read(PageVfsPath p, Class<A> type, boolean follow)
            throws IOException {
        if (type == BasicFileAttributes.class || type == PosixFileAttributes.class) {
            Target t = Target.of(p, follow);
            return (A) new PageVfsFileAttributes(t.statForRead(), t.principals());
        }
        throw new UnsupportedOperationException(
                "attributes of type " + type.getName() + " are not supported");
    }

    // ---- string access --------------------------------------------------------------------------

    static Map<String, Object> read(PageVfsPath p, String attributes, boolean follow)
            throws IOException {
        Target t = Target.of(p, follow);
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        if (!VIEWS.contains(view)) {
            throw new UnsupportedOperationException("View '" + view + "' not available");
        }
        if (view.equals("user")) {
            return new UserView(t).readAll(names);
        }
        List<String> known = known(view);
        Stat st = t.statForRead();
        PageVfsFileAttributes a = new PageVfsFileAttributes(st, t.principals());
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : names.split(",")) {
            if (name.equals("*")) {
                for (String k : known) {
                    out.put(k, value(a, st, k));
                }
            } else if (known.contains(name)) {
                out.put(name, value(a, st, name));
            } else {
                throw new IllegalArgumentException("'" + name + "' not recognized");
            }
        }
        return out;
    }

    private static List<String> known(String view) {
        List<String> out = new ArrayList<>();
        switch (view) {
            case "owner" -> out.add("owner");
            case "basic" -> out.addAll(BASIC);
            case "posix" -> {
                out.addAll(BASIC);
                out.addAll(POSIX);
            }
            default -> {
                out.addAll(BASIC);
                out.addAll(POSIX);
                out.addAll(UNIX);
            }
        }
        return out;
    }

    private static Object value(PageVfsFileAttributes a, Stat st, String name) {
        return switch (name) {
            case "lastModifiedTime" -> a.lastModifiedTime();
            case "lastAccessTime" -> a.lastAccessTime();
            case "creationTime" -> a.creationTime();
            case "size" -> a.size();
            case "isRegularFile" -> a.isRegularFile();
            case "isDirectory" -> a.isDirectory();
            case "isSymbolicLink" -> a.isSymbolicLink();
            case "isOther" -> a.isOther();
            case "fileKey" -> a.fileKey();
            case "permissions" -> a.permissions();
            case "owner" -> a.owner();
            case "group" -> a.group();
            case "mode" -> st.mode();
            case "ino" -> st.ino();
            case "dev" -> st.dev();
            case "rdev" -> st.rdev();
            case "nlink" -> st.nlink();
            case "uid" -> st.uid();
            case "gid" -> st.gid();
            case "ctime" -> time(st.ctimeNanos());
            default -> throw new IllegalArgumentException("'" + name + "' not recognized");
        };
    }

    static void set(PageVfsPath p, String attribute, Object value, boolean follow)
            throws IOException {
        Target t = Target.of(p, follow);
        int colon = attribute.indexOf(':');
        String view = colon < 0 ? "basic" : attribute.substring(0, colon);
        String name = colon < 0 ? attribute : attribute.substring(colon + 1);
        if (!VIEWS.contains(view)) {
            throw new UnsupportedOperationException("View '" + view + "' not available");
        }
        if (view.equals("user")) {
            new UserView(t)
                    .write(
                            name,
                            value instanceof byte[] b ? ByteBuffer.wrap(b) : (ByteBuffer) value);
            return;
        }
        if (!known(view).contains(name)) {
            throw new IllegalArgumentException("'" + name + "' not recognized");
        }
        PosixView v = new PosixView(t, view);
        switch (name) {
            case "lastModifiedTime" -> v.setTimes((FileTime) value, null, null);
            case "lastAccessTime" -> v.setTimes(null, (FileTime) value, null);
            case "creationTime" -> v.setTimes(null, null, (FileTime) value);
            case "permissions" -> v.setPermissions(castPermissions(value));
            case "owner" -> v.setOwner((UserPrincipal) value);
            case "group" -> v.setGroup((GroupPrincipal) value);
            case "mode" -> v.chmod((Integer) value);
            case "uid" -> v.chown((Integer) value, -1);
            case "gid" -> v.chown(-1, (Integer) value);
            default -> throw new IllegalArgumentException("'" + name + "' is read-only");
        }
    }

    /** Basic, posix and owner views: one class, named by the view it stands for. */
    static final class PosixView implements PosixFileAttributeView {
        private final Target t;
        private final String name;

        PosixView(Target t, String name) {
            this.t = t;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public PosixFileAttributes readAttributes() throws IOException {
            return new PageVfsFileAttributes(t.statForRead(), t.principals());
        }

        @Override
        public void setTimes(
                FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
                throws IOException {
            if (lastModifiedTime == null && lastAccessTime == null) {
                return; // creation time cannot be set, as on Linux
            }
            long m = lastModifiedTime == null ? Fcntl.UTIME_OMIT : nanos(lastModifiedTime);
            long a = lastAccessTime == null ? Fcntl.UTIME_OMIT : nanos(lastAccessTime);
            try {
                t.process().utimensAt(t.dirfd(), t.name(), a, m, t.flags());
            } catch (VfsException e) {
                throw Errors.translate(e, t.path());
            }
        }

        @Override
        public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
            chmod(toMode(perms));
        }

        void chmod(int mode) throws IOException {
            try {
                t.process().chmodAt(t.dirfd(), t.name(), mode & Mode.PERMISSION_BITS, t.flags());
            } catch (VfsException e) {
                throw Errors.translate(e, t.path());
            }
        }

        void chown(int uid, int gid) throws IOException {
            try {
                t.process().chownAt(t.dirfd(), t.name(), uid, gid, t.flags());
            } catch (VfsException e) {
                throw Errors.translate(e, t.path());
            }
        }

        @Override
        public void setGroup(GroupPrincipal group) throws IOException {
            chown(-1, Principals.gidOf(java.util.Objects.requireNonNull(group, "group")));
        }

        @Override
        public UserPrincipal getOwner() throws IOException {
            return readAttributes().owner();
        }

        @Override
        public void setOwner(UserPrincipal owner) throws IOException {
            chown(Principals.uidOf(java.util.Objects.requireNonNull(owner, "owner")), -1);
        }

        @Override
        public String toString() {
            return name + " view of " + t.path();
        }
    }

    /** The user-defined view: extended attributes of the "user." namespace. */
    static final class UserView implements UserDefinedFileAttributeView {
        private static final String PREFIX = "user.";
        private final Target t;

        UserView(Target t) {
            this.t = t;
        }

        private String path() {
            return t.dirfd() == Fcntl.AT_FDCWD ? t.name() : t.path().toString();
        }

        @Override
        public String name() {
            return "user";
        }

        @Override
        public List<String> list() throws IOException {
            try {
                List<String> out = new ArrayList<>();
                for (String n :
                        t.follow()
                                ? t.process().listxattr(path())
                                : t.process().llistxattr(path())) {
                    if (n.startsWith(PREFIX)) {
                        out.add(n.substring(PREFIX.length()));
                    }
                }
                return out;
            } catch (VfsException e) {
                throw Errors.translate(e, t.path());
            }
        }

        private byte[] get(String name) throws IOException {
            try {
                return t.follow()
                        ? t.process().getxattr(path(), PREFIX + name)
                        : t.process().lgetxattr(path(), PREFIX + name);
            } catch (VfsException e) {
                throw Errors.translate(e, t.path());
            }
        }

        @Override
        public int size(String name) throws IOException {
            return get(name).length;
        }

        @Override
        public int read(String name, ByteBuffer dst) throws IOException {
            byte[] v = get(name);
            if (dst.remaining() < v.length) {
                throw new IOException("Insufficient space in buffer");
            }
            dst.put(v);
            return v.length;
        }

        @Override
        public int write(String name, ByteBuffer src) throws IOException {
            byte[] v = new byte[src.remaining()];
            src.get(v);
            try {
                if (t.follow()) {
                    t.process().setxattr(path(), PREFIX + name, v, 0);
                } else {
                    t.process().lsetxattr(path(), PREFIX + name, v, 0);
                }
            } catch (VfsException e) {
                throw Errors.translate(e, t.path());
            }
            return v.length;
        }

        @Override
        public void delete(String name) throws IOException {
            try {
                if (t.follow()) {
                    t.process().removexattr(path(), PREFIX + name);
                } else {
                    t.process().lremovexattr(path(), PREFIX + name);
                }
            } catch (VfsException e) {
                throw Errors.translate(e, t.path());
            }
        }

        Map<String, Object> readAll(String names) throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            for (String n : names.split(",")) {
                if (n.equals("*")) {
                    for (String k : list()) {
                        out.put(k, get(k));
                    }
                } else {
                    out.put(n, get(n));
                }
            }
            return out;
        }
    }

    /** PosixFileAttributes from one stat. */
    record PageVfsFileAttributes(Stat st, Principals principals) implements PosixFileAttributes {
        /** The fileKey: (device, inode), equal for hard links of one file. */
        record FileKey(long dev, long ino) {}

        @Override
        public FileTime lastModifiedTime() {
            return time(st.mtimeNanos());
        }

        @Override
        public FileTime lastAccessTime() {
            return time(st.atimeNanos());
        }

        @Override
        public FileTime creationTime() {
            return time(st.birthtimeNanos());
        }

        @Override
        public boolean isRegularFile() {
            return st.isRegularFile();
        }

        @Override
        public boolean isDirectory() {
            return st.isDirectory();
        }

        @Override
        public boolean isSymbolicLink() {
            return st.isSymlink();
        }

        @Override
        public boolean isOther() {
            return !isRegularFile() && !isDirectory() && !isSymbolicLink();
        }

        @Override
        public long size() {
            return st.size();
        }

        @Override
        public Object fileKey() {
            return new FileKey(st.dev(), st.ino());
        }

        @Override
        public UserPrincipal owner() {
            return principals.user(st.uid());
        }

        @Override
        public GroupPrincipal group() {
            return principals.group(st.gid());
        }

        @Override
        public Set<PosixFilePermission> permissions() {
            return toPermissions(st.mode());
        }

        @Override
        public String toString() {
            return Mode.toString(st.mode()) + " " + PosixFilePermissions.toString(permissions());
        }
    }
}
