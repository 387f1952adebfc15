package io.pagevfs.core;

/** Per-mount flags, as {@code mount -o} takes them. */
public enum MountFlag {
    /** Every mutation fails EROFS; reads keep working. */
    READ_ONLY("ro"),
    /** Set-user-id and set-group-id bits are ignored by exec. */
    NOSUID("nosuid"),
    /** Device nodes cannot be opened (EACCES). */
    NODEV("nodev"),
    /** Nothing can be executed or mapped executable (EACCES at exec, EPERM at mmap). */
    NOEXEC("noexec");

    private final String option;

    MountFlag(String option) {
        this.option = option;
    }

    /** The name {@code mount -o} uses. */
    public String option() {
        return option;
    }
}
