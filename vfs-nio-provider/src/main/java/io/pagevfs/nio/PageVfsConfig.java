package io.pagevfs.nio;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.pagevfs.core.Credentials;
import io.pagevfs.core.FileClock;
import io.pagevfs.core.MountFlag;
import io.pagevfs.core.PageGeometry;
import io.pagevfs.core.VfsConfig;
import io.pagevfs.core.VolumeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a PageVFS {@code FileSystem} is made: page size, memory limit, umask, the identity its
 * default view acts as, the user and group tables, the clock, mounts made at creation, the working
 * directory, and the executor asynchronous channels use. Immutable; made by {@link #builder()}.
 *
 * <p>The same settings are accepted as {@code env} keys by {@code FileSystems.newFileSystem(URI,
 * env)}; see {@link #fromEnv(Map)}.
 *
 * <p>The default identity is an ordinary user, {@code user} (uid 1000, gid 1000), with umask 022,
 * so permission checks are real unless a test asks for root ({@link Builder#asRoot()}).
 */
public final class PageVfsConfig {
    /** A user of the filesystem's user table. */
    public record User(String name, int uid, int gid, List<Integer> groups) {
        public User {
            Preconditions.checkArgument(
                    !name.isEmpty() && uid >= 0 && gid >= 0, "bad user %s (%s:%s)", name, uid, gid);
            groups = List.copyOf(groups);
        }

        Credentials credentials() {
            return Credentials.of(uid, gid, groups.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** A mount made when the filesystem is created. */
    public record InitialMount(String target, VolumeSpec volume, Set<MountFlag> flags) {
        public InitialMount {
            Preconditions.checkArgument(
                    target.startsWith("/"), "mount target must be absolute: %s", target);
            flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        }
    }

    private final VfsConfig kernel;
    private final ImmutableMap<String, User> users;
    private final ImmutableMap<String, Integer> groups;
    private final String defaultUser;
    private final ImmutableList<InitialMount> mounts;
    private final String workingDirectory;
    private final @Nullable ExecutorService asyncExecutor;

    private PageVfsConfig(Builder b) {
        this.kernel = b.kernel.build();
        this.users = ImmutableMap.copyOf(b.users);
        this.groups = ImmutableMap.copyOf(b.groups);
        this.defaultUser = b.defaultUser;
        this.mounts = ImmutableList.copyOf(b.mounts);
        this.workingDirectory = b.workingDirectory;
        this.asyncExecutor = b.asyncExecutor;
        Preconditions.checkArgument(
                users.containsKey(defaultUser),
                "the default user %s is not in the user table",
                defaultUser);
    }

    public static PageVfsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public VfsConfig kernel() {
        return kernel;
    }

    public Map<String, User> users() {
        return users;
    }

    public Map<String, Integer> groups() {
        return groups;
    }

    public User defaultUser() {
        return users.get(defaultUser);
    }

    public List<InitialMount> mounts() {
        return mounts;
    }

    public String workingDirectory() {
        return workingDirectory;
    }

    @Nullable
    public ExecutorService asyncExecutor() {
        return asyncExecutor;
    }

    /** The env keys {@link #fromEnv} accepts. */
    public static final Set<String> ENV_KEYS =
            Set.of(
                    "pageSize",
                    "memoryLimit",
                    "umask",
                    "user",
                    "uid",
                    "gid",
                    "groups",
                    "root",
                    "workingDirectory");

    /**
     * Decodes {@code env}: {@code pageSize} (bytes), {@code memoryLimit} (bytes), {@code umask} (an
     * Integer, or an octal string such as "022"), {@code user} (a name in the default table: "root"
     * or "user"), {@code uid}, {@code gid}, {@code groups} (int[], a collection of numbers, or
     * "1,2,3") for a custom default identity, {@code root} (true: act as root), {@code
     * workingDirectory}. Values may be numbers or strings. Unknown keys are refused.
     */
    public static PageVfsConfig fromEnv(Map<String, ?> env) {
        Builder b = builder();
        for (String key : env.keySet()) {
            if (!ENV_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown pagevfs env key '" + key + "' (known: " + ENV_KEYS + ")");
            }
        }
        if (env.containsKey("pageSize")) {
            b.pageSize((int) number(env, "pageSize", 10));
        }
        if (env.containsKey("memoryLimit")) {
            b.memoryLimit(number(env, "memoryLimit", 10));
        }
        if (env.containsKey("umask")) {
            b.umask((int) number(env, "umask", 8));
        }
        if (env.containsKey("uid") || env.containsKey("gid") || env.containsKey("groups")) {
            int uid = (int) number(env, "uid", 10);
            int gid = env.containsKey("gid") ? (int) number(env, "gid", 10) : uid;
            b.addUser("env-user", uid, gid, groups(env.get("groups")));
            b.defaultUser("env-user");
        }
        if (env.containsKey("user")) {
            b.defaultUser(String.valueOf(env.get("user")));
        }
        if (env.containsKey("root") && Boolean.parseBoolean(String.valueOf(env.get("root")))) {
            b.asRoot();
        }
        if (env.containsKey("workingDirectory")) {
            b.workingDirectory(String.valueOf(env.get("workingDirectory")));
        }
        return b.build();
    }

    private static long number(Map<String, ?> env, String key, int radix) {
        Object v = env.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim(), radix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "pagevfs env key '" + key + "' must be a number: " + v, e);
        }
    }

    private static int[] groups(@Nullable Object v) {
        if (v == null) {
            return new int[0];
        }
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (v instanceof Iterable<?> it) {
            List<Integer> out = new ArrayList<>();
            it.forEach(x -> out.add(Integer.parseInt(String.valueOf(x).trim())));
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty()
                ? new int[0]
                : Arrays.stream(s.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    }

    public static final class Builder {
        private final VfsConfig.Builder kernel = VfsConfig.builder();
        private final Map<String, User> users = new LinkedHashMap<>();
        private final Map<String, Integer> groups = new LinkedHashMap<>();
        private String defaultUser = "user";
        private final List<InitialMount> mounts = new ArrayList<>();
        private String workingDirectory = "/";
        private @Nullable ExecutorService asyncExecutor;

        private Builder() {
            addGroup("root", 0);
            addGroup("user", 1000);
            addUser("root", 0, 0);
            addUser("user", 1000, 1000);
        }

        public Builder pageSize(int bytes) {
            kernel.pageSize(bytes);
            return this;
        }

        public Builder memoryLimit(long bytes) {
            kernel.memoryLimit(bytes);
            return this;
        }

        public Builder umask(int mask) {
            kernel.umask(mask);
            return this;
        }

        public Builder clock(FileClock clock) {
            kernel.clock(clock);
            return this;
        }

        /** Adds a user (and nothing else: add its groups with {@link #addGroup}). */
        public Builder addUser(String name, int uid, int gid, int... supplementaryGroups) {
            users.put(
                    name,
                    new User(name, uid, gid, Arrays.stream(supplementaryGroups).boxed().toList()));
            return this;
        }

        public Builder addGroup(String name, int gid) {
            Preconditions.checkArgument(
                    !name.isEmpty() && gid >= 0, "bad group %s (%s)", name, gid);
            groups.put(name, gid);
            return this;
        }

        /** The user the filesystem's default view acts as (default "user", uid 1000). */
        public Builder defaultUser(String name) {
            Preconditions.checkArgument(
                    users.containsKey(name), "no such user in the table: %s", name);
            defaultUser = name;
            return this;
        }

        /** Makes the default view act as root. */
        public Builder asRoot() {
            return defaultUser("root");
        }

        /**
         * Mounts a new volume at {@code target} (created if missing) when the filesystem is made.
         */
        public Builder mount(String target, long memoryLimit, MountFlag... flags) {
            PageGeometry g = kernel.build().geometry();
            String name =
                    target.equals("/") ? "root" : target.substring(target.lastIndexOf('/') + 1);
            mounts.add(
                    new InitialMount(
                            target,
                            VolumeSpec.of(name, memoryLimit).withGeometry(g),
                            flags.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(flags))));
            return this;
        }

        public Builder mount(InitialMount m) {
            mounts.add(m);
            return this;
        }

        /**
         * The working directory of the default view; created, owned by the default user, if
         * missing.
         */
        public Builder workingDirectory(String path) {
            Preconditions.checkArgument(
                    path.startsWith("/"), "working directory must be absolute: %s", path);
            workingDirectory = path;
            return this;
        }

        /**
         * The executor AsynchronousFileChannels use when the caller gives none (default: a cached
         * daemon pool per filesystem).
         */
        public Builder asyncExecutor(ExecutorService executor) {
            asyncExecutor = executor;
            return this;
        }

        public PageVfsConfig build() {
            return new PageVfsConfig(this);
        }
    }
}
