/*
 * The kernel oracle of KernelConformanceTest: runs scenario scripts on the running Linux kernel.
 *
 * Usage (as root): oracle SCRATCH_DIR < script > results
 *
 * It first moves itself into a private mount namespace (unshare(CLONE_NEWNS) and a recursive
 * MS_PRIVATE on "/"), so every mount it makes disappears with it, whatever happens. Then, for each
 * scenario, it mounts a fresh tmpfs (mode 1777, owned by root) on SCRATCH_DIR and runs the
 * scenario's operations, each in a forked child that chroots into that tmpfs (so the script's
 * absolute paths and absolute symlink targets mean the same as in a PageVFS whose root volume is the
 * tmpfs), takes the credentials and umask the line gives, performs the one system call and reports
 * "0" or the errno's name, plus a value for the calls that read one.
 *
 * Input, one line each (KernelScript writes it; tokens are separated by single spaces):
 *   == NAME                                       starts a scenario on a fresh tmpfs
 *   RUID EUID RGID EGID GROUPS UMASK OP ARGS...   GROUPS is "-" or "g1,g2"; UMASK is octal
 * Two operations run in the oracle itself, as root, not in a child: "hold PATH FLAGS" opens
 * SCRATCH_DIR/PATH and keeps the descriptor until "release" (or the end of the scenario) closes
 * every held one, so that mounts can be busy. PATH must not lead through an absolute symlink.
 * Output: "== NAME" for each scenario, then one result line for each operation.
 * Exit status 77 means "cannot run here" (the reason is on stderr); anything but 0 and 77 is a bug.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

#define MAX_ARGS 16
#define RESULT_MAX 8192

static const char *scratch;
static int mounted;

#define MAX_HELD 64
static int held[MAX_HELD];
static int nheld;

static const struct {
    int code;
    const char *name;
} ERRNOS[] = {
    {EPERM, "EPERM"},   {ENOENT, "ENOENT"},       {ESRCH, "ESRCH"},         {EINTR, "EINTR"},
    {EIO, "EIO"},       {ENXIO, "ENXIO"},         {E2BIG, "E2BIG"},         {ENOEXEC, "ENOEXEC"},
    {EBADF, "EBADF"},   {EAGAIN, "EAGAIN"},       {ENOMEM, "ENOMEM"},       {EACCES, "EACCES"},
    {EFAULT, "EFAULT"}, {EBUSY, "EBUSY"},         {EEXIST, "EEXIST"},       {EXDEV, "EXDEV"},
    {ENODEV, "ENODEV"}, {ENOTDIR, "ENOTDIR"},     {EISDIR, "EISDIR"},       {EINVAL, "EINVAL"},
    {ENFILE, "ENFILE"}, {EMFILE, "EMFILE"},       {ENOTTY, "ENOTTY"},       {ETXTBSY, "ETXTBSY"},
    {EFBIG, "EFBIG"},   {ENOSPC, "ENOSPC"},       {ESPIPE, "ESPIPE"},       {EROFS, "EROFS"},
    {EMLINK, "EMLINK"}, {ERANGE, "ERANGE"},       {EDEADLK, "EDEADLK"},     {ENAMETOOLONG, "ENAMETOOLONG"},
    {ENOLCK, "ENOLCK"}, {ENOSYS, "ENOSYS"},       {ENOTEMPTY, "ENOTEMPTY"}, {ELOOP, "ELOOP"},
    {ENODATA, "ENODATA"}, {EOVERFLOW, "EOVERFLOW"}, {ENOTSUP, "ENOTSUP"},  {EADDRINUSE, "EADDRINUSE"},
};

static const char *errno_name(int e) {
    static char buf[32];
    for (size_t i = 0; i < sizeof ERRNOS / sizeof ERRNOS[0]; i++) {
        if (ERRNOS[i].code == e) {
            return ERRNOS[i].name;
        }
    }
    snprintf(buf, sizeof buf, "E%d", e);
    return buf;
}

static void skip(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s\n", strerror(errno));
    exit(77);
}

/* ---- argument decoding ---------------------------------------------------------------------- */

static int bad_script;

static long octal(const char *s) {
    char *end;
    long v = strtol(s, &end, 8);
    if (*s == '\0' || *end != '\0') {
        bad_script = 1;
    }
    return v;
}

static long decimal(const char *s) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0') {
        bad_script = 1;
    }
    return v;
}

/* "rdonly,creat,excl" and so on. */
static int open_flags(const char *s) {
    static const struct {
        const char *name;
        int flag;
    } FLAGS[] = {
        {"rdonly", O_RDONLY}, {"wronly", O_WRONLY},       {"rdwr", O_RDWR},
        {"creat", O_CREAT},   {"excl", O_EXCL},           {"trunc", O_TRUNC},
        {"append", O_APPEND}, {"directory", O_DIRECTORY}, {"nofollow", O_NOFOLLOW},
    };
    int flags = 0;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", s);
    for (char *save, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof FLAGS / sizeof FLAGS[0] && strcmp(FLAGS[i].name, tok) != 0; i++) {
        }
        if (i == sizeof FLAGS / sizeof FLAGS[0]) {
            bad_script = 1;
        } else {
            flags |= FLAGS[i].flag;
        }
    }
    return flags;
}

/* "ro,noexec,nosuid,nodev"; "rw" or "-" for none. */
static unsigned long mount_flags(const char *s) {
    unsigned long flags = 0;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", s);
    for (char *save, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "ro")) {
            flags |= MS_RDONLY;
        } else if (!strcmp(tok, "noexec")) {
            flags |= MS_NOEXEC;
        } else if (!strcmp(tok, "nosuid")) {
            flags |= MS_NOSUID;
        } else if (!strcmp(tok, "nodev")) {
            flags |= MS_NODEV;
        } else if (strcmp(tok, "rw") != 0 && strcmp(tok, "-") != 0) {
            bad_script = 1;
        }
    }
    return flags;
}

/* "f" or any of "r", "w", "x". */
static int access_mode(const char *s) {
    int mode = 0;
    for (const char *c = s; *c; c++) {
        switch (*c) {
        case 'r': mode |= R_OK; break;
        case 'w': mode |= W_OK; break;
        case 'x': mode |= X_OK; break;
        case 'f': break;
        default: bad_script = 1;
        }
    }
    return mode;
}

/* utimensat times: "now", "omit" or whole seconds. */
static struct timespec utime_arg(const char *s) {
    struct timespec t = {0, 0};
    if (!strcmp(s, "now")) {
        t.tv_nsec = UTIME_NOW;
    } else if (!strcmp(s, "omit")) {
        t.tv_nsec = UTIME_OMIT;
    } else {
        t.tv_sec = decimal(s);
    }
    return t;
}

static int xattr_flags(const char *s) {
    if (!strcmp(s, "create")) {
        return XATTR_CREATE;
    }
    if (!strcmp(s, "replace")) {
        return XATTR_REPLACE;
    }
    if (strcmp(s, "-") != 0) {
        bad_script = 1;
    }
    return 0;
}

/* ---- the operations ----------------------------------------------------------------------- */

/* Formats the result of a call that returned rc: "0" or the errno's name. */
static void status(char *out, long rc) {
    snprintf(out, RESULT_MAX, "%s", rc < 0 ? errno_name(errno) : "0");
}

static void stat_result(char *out, int rc, const struct stat *st) {
    if (rc < 0) {
        status(out, rc);
        return;
    }
    int n = snprintf(out, RESULT_MAX, "0 mode=%o uid=%u gid=%u nlink=%lu size=%lld",
                     st->st_mode, st->st_uid, st->st_gid, (unsigned long)st->st_nlink,
                     (long long)st->st_size);
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
        snprintf(out + n, RESULT_MAX - n, " rdev=%u,%u", major(st->st_rdev), minor(st->st_rdev));
    }
}

static int do_mount(const char *target, const char *opts) {
    return mount("tmpfs", target, "tmpfs", mount_flags(opts), "mode=1777");
}

/* A bind mount takes no flags but MS_REC; PageVFS's bindMount(flags) is bind, then remount,bind. */
static int do_bind(const char *source, const char *target, const char *opts) {
    unsigned long flags = mount_flags(opts);
    if (mount(source, target, NULL, MS_BIND, NULL) < 0) {
        return -1;
    }
    return flags == 0 ? 0 : mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | flags, NULL);
}

/* Runs one operation; argv[0] is its name. Writes the result into out. */
static void run(int argc, char **argv, char *out) {
    const char *op = argv[0];
    const char *a = argc > 1 ? argv[1] : "";
    const char *b = argc > 2 ? argv[2] : "";
    const char *c = argc > 3 ? argv[3] : "";
    struct stat st;
#define ARGS(n)                                        \
    if (argc != (n) + 1) {                             \
        snprintf(out, RESULT_MAX, "BAD-SCRIPT %s", op); \
        return;                                        \
    }
    if (!strcmp(op, "open")) {
        if (argc != 3 && argc != 4) {
            snprintf(out, RESULT_MAX, "BAD-SCRIPT %s", op);
            return;
        }
        int fd = open(a, open_flags(b), argc == 4 ? (mode_t)octal(c) : 0);
        status(out, fd);
        if (fd >= 0) {
            close(fd);
        }
    } else if (!strcmp(op, "write")) {
        ARGS(2);
        int fd = open(a, O_WRONLY);
        long rc = fd < 0 ? -1 : write(fd, b, strlen(b));
        status(out, rc);
        if (fd >= 0) {
            close(fd);
        }
    } else if (!strcmp(op, "mkdir")) {
        ARGS(2);
        status(out, mkdir(a, octal(b)));
    } else if (!strcmp(op, "rmdir")) {
        ARGS(1);
        status(out, rmdir(a));
    } else if (!strcmp(op, "unlink")) {
        ARGS(1);
        status(out, unlink(a));
    } else if (!strcmp(op, "rename")) {
        ARGS(2);
        status(out, syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 0));
    } else if (!strcmp(op, "rename-noreplace")) {
        ARGS(2);
        status(out, syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE));
    } else if (!strcmp(op, "rename-exchange")) {
        ARGS(2);
        status(out, syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE));
    } else if (!strcmp(op, "link")) {
        ARGS(2);
        status(out, link(a, b));
    } else if (!strcmp(op, "symlink")) {
        ARGS(2);
        status(out, symlink(a, b));
    } else if (!strcmp(op, "readlink")) {
        ARGS(1);
        char buf[4097];
        ssize_t n = readlink(a, buf, sizeof buf - 1);
        if (n < 0) {
            status(out, n);
        } else {
            buf[n] = '\0';
            snprintf(out, RESULT_MAX, "0 %s", buf);
        }
    } else if (!strcmp(op, "chmod")) {
        ARGS(2);
        status(out, chmod(a, octal(b)));
    } else if (!strcmp(op, "chown")) {
        ARGS(3);
        status(out, chown(a, decimal(b), decimal(c)));
    } else if (!strcmp(op, "lchown")) {
        ARGS(3);
        status(out, lchown(a, decimal(b), decimal(c)));
    } else if (!strcmp(op, "truncate")) {
        ARGS(2);
        status(out, truncate(a, decimal(b)));
    } else if (!strcmp(op, "access")) {
        ARGS(2);
        status(out, syscall(SYS_faccessat, AT_FDCWD, a, access_mode(b)));
    } else if (!strcmp(op, "eaccess")) {
        ARGS(2);
        status(out, syscall(SYS_faccessat2, AT_FDCWD, a, access_mode(b), AT_EACCESS));
    } else if (!strcmp(op, "stat")) {
        ARGS(1);
        stat_result(out, stat(a, &st), &st);
    } else if (!strcmp(op, "lstat")) {
        ARGS(1);
        stat_result(out, lstat(a, &st), &st);
    } else if (!strcmp(op, "utime") || !strcmp(op, "lutime")) {
        ARGS(3);
        struct timespec times[2] = {utime_arg(b), utime_arg(c)};
        int flags = op[0] == 'l' ? AT_SYMLINK_NOFOLLOW : 0;
        status(out, utimensat(AT_FDCWD, a, times, flags));
    } else if (!strcmp(op, "mknod")) {
        /* mknod PATH c|b|f MODE [MAJOR MINOR] */
        if (argc != 4 && argc != 6) {
            snprintf(out, RESULT_MAX, "BAD-SCRIPT %s", op);
            return;
        }
        mode_t type = !strcmp(b, "c") ? S_IFCHR : !strcmp(b, "b") ? S_IFBLK : S_IFREG;
        dev_t dev = argc == 6 ? makedev(decimal(argv[4]), decimal(argv[5])) : 0;
        status(out, mknod(a, type | octal(c), dev));
    } else if (!strcmp(op, "setxattr") || !strcmp(op, "lsetxattr")) {
        ARGS(4);
        int flags = xattr_flags(argv[4]);
        status(out, op[0] == 'l' ? lsetxattr(a, b, c, strlen(c), flags)
                                 : setxattr(a, b, c, strlen(c), flags));
    } else if (!strcmp(op, "getxattr") || !strcmp(op, "lgetxattr")) {
        ARGS(2);
        char buf[4097];
        ssize_t n = op[0] == 'l' ? lgetxattr(a, b, buf, sizeof buf - 1)
                                 : getxattr(a, b, buf, sizeof buf - 1);
        if (n < 0) {
            status(out, n);
        } else {
            buf[n] = '\0';
            snprintf(out, RESULT_MAX, "0 %s", buf);
        }
    } else if (!strcmp(op, "removexattr")) {
        ARGS(2);
        status(out, removexattr(a, b));
    } else if (!strcmp(op, "mount")) {
        ARGS(2);
        status(out, do_mount(a, b));
    } else if (!strcmp(op, "bind")) {
        ARGS(3);
        status(out, do_bind(a, b, c));
    } else if (!strcmp(op, "remount")) {
        ARGS(2);
        status(out, mount(NULL, a, NULL, MS_REMOUNT | mount_flags(b), NULL));
    } else if (!strcmp(op, "remount-bind")) {
        ARGS(2);
        status(out, mount(NULL, a, NULL, MS_REMOUNT | MS_BIND | mount_flags(b), NULL));
    } else if (!strcmp(op, "umount")) {
        ARGS(1);
        status(out, umount2(a, 0));
    } else {
        snprintf(out, RESULT_MAX, "BAD-SCRIPT unknown operation %s", op);
    }
    if (bad_script) {
        snprintf(out, RESULT_MAX, "BAD-SCRIPT arguments of %s", op);
    }
#undef ARGS
}

/* ---- credentials and the child -------------------------------------------------------------- */

static int become(const char *ruid, const char *euid, const char *rgid, const char *egid,
                  const char *groups, const char *mask) {
    gid_t list[64];
    int n = 0;
    if (strcmp(groups, "-") != 0) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", groups);
        for (char *save, *tok = strtok_r(copy, ",", &save); tok && n < 64;
             tok = strtok_r(NULL, ",", &save)) {
            list[n++] = (gid_t)decimal(tok);
        }
    }
    umask(octal(mask));
    if (setgroups(n, list) < 0 || setresgid(decimal(rgid), decimal(egid), decimal(egid)) < 0 ||
        setresuid(decimal(ruid), decimal(euid), decimal(euid)) < 0) {
        return -1;
    }
    return bad_script ? -1 : 0;
}

/* Runs one script line in a child: chroot into the scratch tmpfs, become the caller, call. */
static void child(int argc, char **argv, int fd) {
    char out[RESULT_MAX];
    alarm(10);
    if (chroot(scratch) < 0 || chdir("/") < 0) {
        snprintf(out, sizeof out, "SETUP-FAILED chroot: %s", strerror(errno));
    } else if (become(argv[0], argv[1], argv[2], argv[3], argv[4], argv[5]) < 0) {
        snprintf(out, sizeof out, "SETUP-FAILED credentials: %s", strerror(errno));
    } else {
        run(argc - 6, argv + 6, out);
    }
    size_t len = strlen(out);
    ssize_t w = write(fd, out, len);
    _exit(w == (ssize_t)len ? 0 : 1);
}

/* "hold PATH FLAGS": opens the path as root, in the oracle, and keeps it open. */
static void hold(int argc, char **argv) {
    char path[8192];
    if (argc != 3 || nheld == MAX_HELD) {
        printf("BAD-SCRIPT hold\n");
        return;
    }
    snprintf(path, sizeof path, "%s%s", scratch, argv[1]);
    int fd = open(path, open_flags(argv[2]) | O_CLOEXEC);
    if (fd >= 0) {
        held[nheld++] = fd;
    }
    char out[RESULT_MAX];
    status(out, fd);
    printf("%s\n", bad_script ? "BAD-SCRIPT hold" : out);
}

static void release(void) {
    while (nheld > 0) {
        close(held[--nheld]);
    }
}

static void execute(int argc, char **argv) {
    int fds[2];
    if (argc == 9 && !strcmp(argv[6], "hold")) {
        hold(argc - 6, argv + 6);
        return;
    }
    if (argc == 7 && !strcmp(argv[6], "release")) {
        release();
        printf("0\n");
        return;
    }
    if (argc < 7 || pipe(fds) < 0) {
        printf("BAD-SCRIPT too few fields\n");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("SETUP-FAILED fork: %s\n", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        child(argc, argv, fds[1]);
    }
    close(fds[1]);
    char out[RESULT_MAX];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof out - 1 && (n = read(fds[0], out + len, sizeof out - 1 - len)) > 0) {
        len += n;
    }
    close(fds[0]);
    out[len] = '\0';
    int wstatus;
    waitpid(pid, &wstatus, 0);
    if (len == 0) {
        printf("CRASHED status %d\n", wstatus);
    } else {
        printf("%s\n", out);
    }
}

/* ---- scenarios -------------------------------------------------------------------------------- */

static void unmount_scratch(void) {
    release();
    if (mounted && umount2(scratch, MNT_DETACH) < 0) {
        printf("SETUP-FAILED umount: %s\n", strerror(errno));
        exit(1);
    }
    mounted = 0;
}

static void start_scenario(const char *name) {
    unmount_scratch();
    if (mount("tmpfs", scratch, "tmpfs", 0, "mode=1777,uid=0,gid=0,size=16m") < 0) {
        skip("cannot mount a tmpfs on %s", scratch);
    }
    mounted = 1;
    printf("== %s\n", name);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: oracle SCRATCH_DIR < script\n");
        return 2;
    }
    scratch = argv[1];
    if (geteuid() != 0) {
        errno = EPERM;
        skip("the oracle must run as root");
    }
    if (unshare(CLONE_NEWNS) < 0) {
        skip("cannot make a private mount namespace");
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        skip("cannot make the mounts private");
    }
    signal(SIGPIPE, SIG_IGN);
    static char line[65536];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "== ", 3)) {
            start_scenario(line + 3);
            continue;
        }
        if (line[0] == '\0') {
            continue;
        }
        char *args[MAX_ARGS + 7];
        int n = 0;
        for (char *save, *tok = strtok_r(line, " ", &save); tok && n < MAX_ARGS + 6;
             tok = strtok_r(NULL, " ", &save)) {
            args[n++] = tok;
        }
        args[n] = NULL;
        execute(n, args);
    }
    unmount_scratch();
    fflush(stdout);
    return 0;
}
