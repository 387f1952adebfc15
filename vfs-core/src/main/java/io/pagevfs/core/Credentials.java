package io.pagevfs.core;

import com.google.common.base.Preconditions;
import java.util.Arrays;

/**
 * A process's identity for permission checks: real and effective user and group ids and the
 * supplementary groups. Immutable.
 *
 * <p>PageVFS has no capability sets: an effective uid of 0 holds every capability, as a root
 * process on Linux does. Permission checks use the effective ids; {@code access()} uses the real
 * ones ({@link #asReal()}).
 */
public final class Credentials {
    private static final Credentials ROOT = new Credentials(0, 0, 0, 0, new int[0]);

    private final int ruid;
    private final int euid;
    private final int rgid;
    private final int egid;
    private final int[] groups; // sorted, distinct

    private Credentials(int ruid, int euid, int rgid, int egid, int[] groups) {
        this.ruid = ruid;
        this.euid = euid;
        this.rgid = rgid;
        this.egid = egid;
        this.groups = groups;
    }

    /** Credentials whose real and effective ids are {@code uid} and {@code gid}. */
    public static Credentials of(int uid, int gid, int... supplementaryGroups) {
        return ofIds(uid, uid, gid, gid, supplementaryGroups);
    }

    /**
     * Credentials with distinct real and effective ids (named apart from {@link #of} so that a call
     * with loose group ids is never ambiguous).
     */
    public static Credentials ofIds(
            int ruid, int euid, int rgid, int egid, int... supplementaryGroups) {
        for (int id : new int[] {ruid, euid, rgid, egid}) {
            Preconditions.checkArgument(id >= 0, "ids must not be negative: %s", id);
        }
        int[] groups = Arrays.stream(supplementaryGroups).sorted().distinct().toArray();
        Preconditions.checkArgument(
                groups.length == 0 || groups[0] >= 0, "group ids must not be negative");
        return new Credentials(ruid, euid, rgid, egid, groups);
    }

    /** uid 0, gid 0, no supplementary groups. */
    public static Credentials root() {
        return ROOT;
    }

    public int ruid() {
        return ruid;
    }

    public int euid() {
        return euid;
    }

    public int rgid() {
        return rgid;
    }

    public int egid() {
        return egid;
    }

    /** The supplementary groups, sorted. */
    public int[] groups() {
        return groups.clone();
    }

    /** Whether the effective uid is 0, which holds every capability. */
    public boolean isRoot() {
        return euid == 0;
    }

    /** Whether {@code gid} is the effective group or one of the supplementary groups. */
    public boolean inGroup(int gid) {
        return gid == egid || Arrays.binarySearch(groups, gid) >= 0;
    }

    /** These credentials with the effective ids replaced by the real ones, as access(2) uses. */
    public Credentials asReal() {
        return (ruid == euid && rgid == egid)
                ? this
                : new Credentials(ruid, ruid, rgid, rgid, groups);
    }

    /** These credentials with new effective ids, as a set-user/group-id exec would give. */
    public Credentials withEffective(int newEuid, int newEgid) {
        Preconditions.checkArgument(newEuid >= 0 && newEgid >= 0, "ids must not be negative");
        return new Credentials(ruid, newEuid, rgid, newEgid, groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c
                && c.ruid == ruid
                && c.euid == euid
                && c.rgid == rgid
                && c.egid == egid
                && Arrays.equals(c.groups, groups);
    }

    @Override
    public int hashCode() {
        return ((ruid * 31 + euid) * 31 + rgid) * 31 + egid + Arrays.hashCode(groups);
    }

    @Override
    public String toString() {
        String ids = ruid == euid ? "uid=" + euid : "uid=" + ruid + "/" + euid;
        ids += rgid == egid ? " gid=" + egid : " gid=" + rgid + "/" + egid;
        return ids + (groups.length == 0 ? "" : " groups=" + Arrays.toString(groups));
    }
}
