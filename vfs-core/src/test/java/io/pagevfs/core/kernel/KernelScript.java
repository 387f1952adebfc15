package io.pagevfs.core.kernel;

import static java.util.Map.entry;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The scenario scripts of the kernel conformance test, and their parser.
 *
 * <p>A script file ({@code src/test/resources/kernel/*.txt}) holds scenarios; each starts with
 * {@code == name} and runs on a fresh filesystem: a tmpfs for the kernel, a new {@code Vfs} for
 * PageVFS, both with a root directory of mode 1777 owned by root. Every other non-blank line (lines
 * starting with {@code #} are comments) is one system call:
 *
 * <pre>
 * [as UID[:EUID] GID[:EGID] [G1,G2...] [umask=OOO] |] OP ARGS... [=&gt; RECORDED]
 * </pre>
 *
 * <p>Without {@code as} the call runs as root. The umask is 0 unless {@code umask=} says otherwise,
 * so the modes a script gives are the modes files get. {@code RECORDED} is the kernel's answer as
 * last recorded ("0", an errno name, or "0 " and a value for the calls that read one); the
 * PageVFS-only test checks against it, the kernel test checks that the kernel still gives it. Two
 * macros keep scripts short: {@code {x*256}} in an argument is 256 x's, and {@code repeat N LINE}
 * is LINE N times with {@code %i} replaced by 1..N and {@code %p} by 0..N-1. A line {@code require
 * protected_hardlinks=1} makes the scenario depend on that sysctl.
 *
 * <p>The operations (octal modes; a relative path starts at "/", the working directory of every
 * call; the kernel side runs each call chrooted into its tmpfs, so absolute paths and absolute
 * symbolic link targets mean the same on both sides):
 *
 * <pre>
 * open PATH FLAGS [MODE]     FLAGS: rdonly|wronly|rdwr and creat,excl,trunc,append,directory,nofollow
 * write PATH TEXT            open O_WRONLY, write TEXT, close
 * mkdir PATH MODE | rmdir PATH | unlink PATH
 * rename OLD NEW | rename-noreplace OLD NEW | rename-exchange OLD NEW   (renameat2)
 * link OLD NEW | symlink TARGET PATH | readlink PATH
 * chmod PATH MODE | chown PATH UID GID | lchown PATH UID GID | truncate PATH LENGTH
 * access PATH MODE | eaccess PATH MODE      MODE: f or any of r, w, x; eaccess is AT_EACCESS
 * stat PATH | lstat PATH     answers "0 mode=OCTAL uid= gid= nlink= size=" (and rdev=MAJ,MIN)
 * utime PATH ATIME MTIME | lutime ...       times: now, omit or seconds
 * mknod PATH c|b|f MODE [MAJOR MINOR]
 * setxattr PATH NAME VALUE -|create|replace | lsetxattr ... | getxattr PATH NAME | lgetxattr ...
 * removexattr PATH NAME
 * mount PATH OPTS | bind SOURCE TARGET OPTS | remount PATH OPTS | remount-bind PATH OPTS
 * umount PATH                OPTS: comma list of ro, noexec, nosuid, nodev; rw or - for none
 * hold PATH FLAGS            open as root and keep the descriptor (to make a mount busy)
 * release                    close every held descriptor
 * </pre>
 *
 * <p>{@code hold} and {@code release} always run as root (a line may not give them a caller); on
 * the kernel side the oracle itself holds the descriptors, so a held path must not lead through an
 * absolute symbolic link.
 */
final class KernelScript {
    private KernelScript() {}

    /** The operations and how many arguments each takes (min, max). */
    private static final Map<String, int[]> ARITY =
            Map.ofEntries(
                    entry("open", new int[] {2, 3}),
                    entry("write", new int[] {2, 2}),
                    entry("mkdir", new int[] {2, 2}),
                    entry("rmdir", new int[] {1, 1}),
                    entry("unlink", new int[] {1, 1}),
                    entry("rename", new int[] {2, 2}),
                    entry("rename-noreplace", new int[] {2, 2}),
                    entry("rename-exchange", new int[] {2, 2}),
                    entry("link", new int[] {2, 2}),
                    entry("symlink", new int[] {2, 2}),
                    entry("readlink", new int[] {1, 1}),
                    entry("chmod", new int[] {2, 2}),
                    entry("chown", new int[] {3, 3}),
                    entry("lchown", new int[] {3, 3}),
                    entry("truncate", new int[] {2, 2}),
                    entry("access", new int[] {2, 2}),
                    entry("eaccess", new int[] {2, 2}),
                    entry("stat", new int[] {1, 1}),
                    entry("lstat", new int[] {1, 1}),
                    entry("utime", new int[] {3, 3}),
                    entry("lutime", new int[] {3, 3}),
                    entry("mknod", new int[] {3, 5}),
                    entry("setxattr", new int[] {4, 4}),
                    entry("lsetxattr", new int[] {4, 4}),
                    entry("getxattr", new int[] {2, 2}),
                    entry("lgetxattr", new int[] {2, 2}),
                    entry("removexattr", new int[] {2, 2}),
                    entry("mount", new int[] {2, 2}),
                    entry("bind", new int[] {3, 3}),
                    entry("remount", new int[] {2, 2}),
                    entry("remount-bind", new int[] {2, 2}),
                    entry("umount", new int[] {1, 1}),
                    entry("hold", new int[] {2, 2}),
                    entry("release", new int[] {0, 0}));

    private static final Pattern REPEAT_MACRO = Pattern.compile("\\{([^*{}]+)\\*(\\d+)\\}");
    private static final Pattern AS =
            Pattern.compile(
                    "as\\s+(\\d+)(?::(\\d+))?\\s+(\\d+)(?::(\\d+))?"
                            + "(?:\\s+([\\d,]+))?(?:\\s+umask=([0-7]{1,4}))?\\s*");

    /** Who makes a call: real and effective ids, supplementary groups, umask. */
    record Caller(int ruid, int euid, int rgid, int egid, int[] groups, int umask) {
        static final Caller ROOT = new Caller(0, 0, 0, 0, new int[0], 0);

        /** The fields as the oracle reads them. */
        String oracleWords() {
            String g =
                    groups.length == 0
                            ? "-"
                            : Arrays.stream(groups)
                                    .mapToObj(Integer::toString)
                                    .collect(Collectors.joining(","));
            return ruid
                    + " "
                    + euid
                    + " "
                    + rgid
                    + " "
                    + egid
                    + " "
                    + g
                    + " "
                    + Integer.toOctalString(umask);
        }
    }

    /** One call of a scenario; {@code line} is where it is written (1-based). */
    record Step(
            int line,
            String source,
            Caller caller,
            String op,
            List<String> args,
            @Nullable String recorded) {
        @Override
        public String toString() {
            return "line " + line + ": " + source;
        }
    }

    record Scenario(String file, int line, String name, List<Step> steps, Set<String> requires) {
        @Override
        public String toString() {
            return file + ":" + line + " " + name;
        }
    }

    /** The scenarios of the resource {@code kernel/<file>}. */
    static List<Scenario> load(String file) throws IOException {
        String resource = "/kernel/" + file;
        try (InputStream in = KernelScript.class.getResourceAsStream(resource)) {
            Preconditions.checkState(in != null, "missing test resource %s", resource);
            return parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static List<Scenario> parse(String file, String text) {
        List<Scenario> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String name = null;
        int start = 0;
        List<Step> steps = new ArrayList<>();
        ImmutableSet.Builder<String> requires = ImmutableSet.builder();
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("== ")) {
                if (name != null) {
                    out.add(new Scenario(file, start, name, steps, requires.build()));
                }
                name = line.substring(3).strip();
                start = i + 1;
                steps = new ArrayList<>();
                requires = ImmutableSet.builder();
                continue;
            }
            Preconditions.checkArgument(
                    name != null, "%s:%s: a step before the first scenario", file, i + 1);
            if (line.startsWith("require ")) {
                requires.add(line.substring(8).strip());
                continue;
            }
            steps.addAll(parseLine(file, i + 1, line));
        }
        if (name != null) {
            out.add(new Scenario(file, start, name, steps, requires.build()));
        }
        return out;
    }

    private static String stripComment(String line) {
        return line.startsWith("#") ? "" : line;
    }

    /** One script line: a step, or several for {@code repeat}. */
    private static List<Step> parseLine(String file, int lineNo, String line) {
        String where = file + ":" + lineNo;
        String recorded = null;
        int arrow = line.indexOf("=>");
        String call = line;
        if (arrow >= 0) {
            recorded = line.substring(arrow + 2).strip();
            call = line.substring(0, arrow).strip();
        }
        Caller caller = Caller.ROOT;
        int bar = call.indexOf('|');
        if (call.startsWith("as ")) {
            Preconditions.checkArgument(bar > 0, "%s: 'as' without '|'", where);
            caller = parseCaller(where, call.substring(0, bar).strip());
            call = call.substring(bar + 1).strip();
        }
        int times = 1;
        if (call.startsWith("repeat ")) {
            String[] w = call.split("\\s+", 3);
            times = Integer.parseInt(w[1]);
            call = w[2];
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i <= times; i++) {
            String expanded =
                    times == 1
                            ? call
                            : call.replace("%i", Integer.toString(i))
                                    .replace("%p", Integer.toString(i - 1));
            List<String> words = new ArrayList<>();
            for (String w : expanded.split("\\s+")) {
                words.add(expandMacros(w));
            }
            String op = words.get(0);
            int[] arity = ARITY.get(op);
            Preconditions.checkArgument(arity != null, "%s: unknown operation %s", where, op);
            Preconditions.checkArgument(
                    caller == Caller.ROOT || !(op.equals("hold") || op.equals("release")),
                    "%s: %s always runs as root",
                    where,
                    op);
            int n = words.size() - 1;
            Preconditions.checkArgument(
                    n >= arity[0] && n <= arity[1],
                    "%s: %s takes %s to %s arguments",
                    where,
                    op,
                    arity[0],
                    arity[1]);
            steps.add(
                    new Step(
                            lineNo,
                            line,
                            caller,
                            op,
                            ImmutableList.copyOf(words.subList(1, words.size())),
                            recorded));
        }
        return steps;
    }

    private static Caller parseCaller(String where, String text) {
        Matcher m = AS.matcher(text);
        Preconditions.checkArgument(m.matches(), "%s: cannot read '%s'", where, text);
        int ruid = Integer.parseInt(m.group(1));
        int euid = m.group(2) == null ? ruid : Integer.parseInt(m.group(2));
        int rgid = Integer.parseInt(m.group(3));
        int egid = m.group(4) == null ? rgid : Integer.parseInt(m.group(4));
        int[] groups =
                m.group(5) == null
                        ? new int[0]
                        : Arrays.stream(m.group(5).split(","))
                                .mapToInt(Integer::parseInt)
                                .toArray();
        int umask = m.group(6) == null ? 0 : Integer.parseInt(m.group(6), 8);
        return new Caller(ruid, euid, rgid, egid, groups, umask);
    }

    private static String expandMacros(String word) {
        Matcher m = REPEAT_MACRO.matcher(word);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    sb, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The oracle's input for {@code scenarios}: a unique header and one line per step. */
    static String oracleInput(List<Scenario> scenarios) {
        StringBuilder sb = new StringBuilder();
        for (Scenario s : scenarios) {
            sb.append("== ").append(key(s)).append('\n');
            for (Step step : s.steps()) {
                sb.append(step.caller().oracleWords()).append(' ').append(step.op());
                for (String a : step.args()) {
                    sb.append(' ').append(a);
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The name under which the oracle reports {@code s}: file and line, unique and space-free. */
    static String key(Scenario s) {
        return s.file() + ":" + s.line();
    }
}
