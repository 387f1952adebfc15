/*
 * The Linux kernel's answer to mmap(2) for a table of cases, the oracle of MmapKernelOracleTest.
 *
 * Usage (as root): mmap_oracle DIR
 *
 * Mounts a tmpfs on DIR, creates the files below (owned by uid/gid 1000), and for every mount state
 * (rw, noexec, ro, ro+noexec: remounts of the same tmpfs) and every caller class (root; the owner;
 * a member of the owner's group; another user, each in a forked child after setgroups, setresgid
 * and setresuid) opens every file with every access mode and calls mmap on each descriptor that
 * opened. One line per case on stdout:
 *
 *   case state=rw file=f0644 caller=group open=O_RDONLY op=mmap prot=3 flags=0x1 off=0 len=4096 -> 13
 *   case state=ro file=f0644 caller=root open=O_RDWR op=open -> 30
 *   case state=rw file=- caller=root open=fd-1 op=mmap prot=1 flags=0x1 off=512 len=4096 -> 22
 *
 * (the last form: mmap on a descriptor that is not open).
 * The result is 0 for success, else errno as a number (EOPNOTSUPP and ENOTSUP are both 95). Lines
 * starting with '#' are comments. Exits 77 with "skip: ..." on stdout when the tmpfs cannot be
 * mounted (not root, no mount namespace rights), 1 on any other setup failure. Unmounts DIR at the
 * end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

struct caller {
    const char *name;
    uid_t uid;
    gid_t gid;
    int ngroups;
    gid_t groups[1];
};

static const struct caller CALLERS[] = {
    {"root", 0, 0, 0, {0}},
    {"owner", 1000, 1000, 0, {0}},
    {"group", 1001, 1001, 1, {1000}},
    {"other", 1002, 1002, 0, {0}},
};

struct file {
    const char *name;
    mode_t mode;
    int size;
    int dir;
};

static const struct file FILES[] = {
    {"f0644", 0644, 8192, 0},
    {"f0755", 0755, 8192, 0},
    {"f0666", 0666, 8192, 0},
    {"f0600", 0600, 8192, 0},
    {"empty", 0644, 0, 0},
    {"d", 0755, 0, 1},
};

struct state {
    const char *name;
    unsigned long flags;
};

static const struct state STATES[] = {
    {"rw", 0},
    {"noexec", MS_NOEXEC},
    {"ro", MS_RDONLY},
    {"ro,noexec", MS_RDONLY | MS_NOEXEC},
};

static const struct {
    const char *name;
    int flags;
} OPEN_MODES[] = {
    {"O_RDONLY", O_RDONLY},
    {"O_WRONLY", O_WRONLY},
    {"O_RDWR", O_RDWR},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void emit(const char *prefix, int prot, int flags, long long off, long long len, int fd) {
    void *p = mmap(NULL, (size_t)len, prot, flags, fd, (off_t)off);
    int result = p == MAP_FAILED ? errno : 0;
    if (p != MAP_FAILED) {
        munmap(p, len <= 0 ? 4096 : (size_t)len);
    }
    printf("%s op=mmap prot=%d flags=0x%x off=%lld len=%lld -> %d\n", prefix, prot, flags, off, len,
           result);
}

/* The mmap cases for one open descriptor. */
static void map_cases(const char *prefix, int fd) {
    static const int TYPES[] = {MAP_SHARED, MAP_PRIVATE, 0, MAP_SHARED_VALIDATE};
    for (int prot = 0; prot <= 7; prot++) {
        for (size_t t = 0; t < N(TYPES); t++) {
            emit(prefix, prot, TYPES[t], 0, 4096, fd);
        }
    }
    /* offsets */
    emit(prefix, PROT_READ, MAP_SHARED, 512, 4096, fd);            /* unaligned: EINVAL */
    emit(prefix, PROT_READ, MAP_SHARED, 1, 4096, fd);              /* unaligned: EINVAL */
    emit(prefix, PROT_READ, MAP_PRIVATE, 4096 + 2048, 4096, fd);   /* unaligned: EINVAL */
    emit(prefix, PROT_READ, MAP_SHARED, -4096, 4096, fd);          /* negative: EOVERFLOW */
    emit(prefix, PROT_READ, MAP_PRIVATE, -4096, 4096, fd);         /* negative: EOVERFLOW */
    emit(prefix, PROT_READ, MAP_SHARED, -8192, 4096, fd);  /* a directory's offset is unsigned */
    emit(prefix, PROT_READ, MAP_SHARED, -8192, 8192, fd);  /* ... and its end wraps past 2^64 */
    emit(prefix, PROT_READ, MAP_SHARED, INT64_MAX - 4095, 4096, fd); /* end overflows */
    emit(prefix, PROT_READ, MAP_SHARED, 4096, 4096, fd);           /* second page */
    emit(prefix, PROT_READ, MAP_SHARED, 1 << 20, 4096, fd);        /* beyond EOF: fine */
    emit(prefix, PROT_READ | PROT_WRITE, MAP_SHARED, 1 << 20, 8192, fd);
    /* lengths */
    emit(prefix, PROT_READ, MAP_SHARED, 0, 0, fd);  /* EINVAL */
    emit(prefix, PROT_READ, MAP_PRIVATE, 0, 0, fd); /* EINVAL */
    emit(prefix, PROT_READ, MAP_SHARED, 0, 1, fd);
    emit(prefix, PROT_READ, MAP_SHARED, 0, 5000, fd);
    emit(prefix, PROT_READ, MAP_SHARED, 0, -1, fd); /* SIZE_MAX rounds up to 0: ENOMEM */
    /* order: which check wins */
    emit(prefix, PROT_READ, 0, 0, 0, fd);                         /* length before type */
    emit(prefix, PROT_READ, 0, -4096, 4096, fd);                  /* offset before type */
    emit(prefix, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 4096, fd); /* type before access */
    emit(prefix, PROT_NONE, MAP_SHARED, 512, 0, fd);              /* alignment before length */
    /* flags */
    emit(prefix, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, 0, 4096, fd); /* EOPNOTSUPP */
    emit(prefix, PROT_READ, MAP_SHARED_VALIDATE | MAP_NORESERVE, 0, 4096, fd);
    emit(prefix, PROT_READ, MAP_SHARED | MAP_SYNC, 0, 4096, fd); /* ignored without VALIDATE */
    emit(prefix, PROT_READ, MAP_PRIVATE | MAP_SYNC, 0, 4096, fd);
    emit(prefix, PROT_READ, MAP_PRIVATE | MAP_POPULATE, 0, 4096, fd);
}

static void caller_cases(const struct state *st, const struct file *f, const struct caller *c,
                         const char *dir) {
    if (setgroups(c->ngroups, c->groups) != 0 || setresgid(c->gid, c->gid, c->gid) != 0 ||
        setresuid(c->uid, c->uid, c->uid) != 0) {
        printf("# cannot become %s: %s\n", c->name, strerror(errno));
        exit(1);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, f->name);
    for (size_t m = 0; m < N(OPEN_MODES); m++) {
        char prefix[512];
        snprintf(prefix, sizeof prefix, "case state=%s file=%s caller=%s open=%s", st->name,
                 f->name, c->name, OPEN_MODES[m].name);
        int fd = open(path, OPEN_MODES[m].flags);
        int result = fd < 0 ? errno : 0;
        printf("%s op=open -> %d\n", prefix, result);
        if (fd >= 0) {
            map_cases(prefix, fd);
            close(fd);
        }
    }
}

static void bad_fd_cases(const struct state *st) {
    static const int FDS[] = {-1, 9999};
    for (size_t i = 0; i < N(FDS); i++) {
        char prefix[256];
        snprintf(prefix, sizeof prefix, "case state=%s file=- caller=root open=fd%d", st->name,
                 FDS[i]);
        emit(prefix, PROT_READ, MAP_SHARED, 0, 4096, FDS[i]);   /* EBADF */
        emit(prefix, PROT_READ, MAP_SHARED, 512, 4096, FDS[i]); /* EINVAL: alignment before fd */
        emit(prefix, PROT_READ, MAP_SHARED, 0, 0, FDS[i]);      /* EBADF: fd before length */
        emit(prefix, PROT_READ, 0, 0, 4096, FDS[i]);            /* EBADF: fd before type */
    }
}

static int make_files(const char *dir) {
    char path[4096];
    static char content[8192];
    for (size_t i = 0; i < sizeof content; i++) {
        content[i] = (char)(i * 31 + 7);
    }
    for (size_t i = 0; i < N(FILES); i++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[i].name);
        if (FILES[i].dir) {
            if (mkdir(path, FILES[i].mode) != 0) {
                return -1;
            }
        } else {
            int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, FILES[i].mode);
            if (fd < 0 || write(fd, content, FILES[i].size) != FILES[i].size || close(fd) != 0) {
                return -1;
            }
        }
        if (chown(path, 1000, 1000) != 0 || chmod(path, FILES[i].mode) != 0) {
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (mount("pagevfs-oracle", dir, "tmpfs", 0, "size=4m,mode=0755") != 0) {
        printf("skip: cannot mount a tmpfs on %s: %s\n", dir, strerror(errno));
        return 77;
    }
    int status = 0;
    if (make_files(dir) != 0) {
        printf("# cannot create the files: %s\n", strerror(errno));
        status = 1;
    }
    printf("# kernel page size %ld\n", sysconf(_SC_PAGESIZE));
    for (size_t s = 0; status == 0 && s < N(STATES); s++) {
        if (mount(NULL, dir, NULL, MS_REMOUNT | STATES[s].flags, NULL) != 0) {
            printf("# cannot remount %s: %s\n", STATES[s].name, strerror(errno));
            status = 1;
            break;
        }
        bad_fd_cases(&STATES[s]);
        for (size_t f = 0; f < N(FILES); f++) {
            for (size_t c = 0; c < N(CALLERS); c++) {
                fflush(stdout);
                pid_t pid = fork();
                if (pid < 0) {
                    printf("# fork: %s\n", strerror(errno));
                    status = 1;
                    break;
                }
                if (pid == 0) {
                    caller_cases(&STATES[s], &FILES[f], &CALLERS[c], dir);
                    fflush(stdout);
                    _exit(0);
                }
                int ws;
                if (waitpid(pid, &ws, 0) != pid || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
                    printf("# child for %s %s %s failed (status 0x%x)\n", STATES[s].name,
                           FILES[f].name, CALLERS[c].name, ws);
                    status = 1;
                }
            }
        }
    }
    fflush(stdout);
    if (umount2(dir, MNT_DETACH) != 0) {
        printf("# cannot unmount %s: %s\n", dir, strerror(errno));
        status = 1;
    }
    return status;
}
