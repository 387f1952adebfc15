package io.pagevfs.core;

/** Linux {@code st_mode} bits and the access(2) request bits. */
public final class Mode {
    private Mode() {}

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 060000;
    public static final int S_IFDIR = 040000;
    public static final int S_IFCHR = 020000;
    public static final int S_IFIFO = 010000;

    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;
    public static final int S_IRWXU = 0700;
    public static final int S_IRUSR = 0400;
    public static final int S_IWUSR = 0200;
    public static final int S_IXUSR = 0100;
    public static final int S_IRWXG = 070;
    public static final int S_IRGRP = 040;
    public static final int S_IWGRP = 020;
    public static final int S_IXGRP = 010;
    public static final int S_IRWXO = 07;
    public static final int S_IROTH = 04;
    public static final int S_IWOTH = 02;
    public static final int S_IXOTH = 01;

    /** Any execute bit. */
    public static final int S_IXUGO = 0111;

    /** All twelve permission bits. */
    public static final int PERMISSION_BITS = 07777;

    public static final int F_OK = 0;
    public static final int X_OK = 1;
    public static final int W_OK = 2;
    public static final int R_OK = 4;

    /** {@code mode} as {@code ls -l} shows it, e.g. {@code "-rwsr-xr-x"}. */
    public static String toString(int mode) {
        StringBuilder sb = new StringBuilder(10);
        sb.append(FileType.ofMode(mode).symbol());
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        special(sb, mode, S_ISUID, 3, 's');
        special(sb, mode, S_ISGID, 6, 's');
        special(sb, mode, S_ISVTX, 9, 't');
        return sb.toString();
    }

    private static void special(StringBuilder sb, int mode, int bit, int at, char c) {
        if ((mode & bit) != 0) {
            sb.setCharAt(at, sb.charAt(at) == '-' ? Character.toUpperCase(c) : c);
        }
    }
}
