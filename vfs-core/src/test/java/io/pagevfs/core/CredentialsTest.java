package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CredentialsTest {
    @Test
    void of_uidAndGid_setsRealAndEffective() {
        Credentials c = Credentials.of(1000, 100);
        assertEquals(1000, c.ruid());
        assertEquals(1000, c.euid());
        assertEquals(100, c.rgid());
        assertEquals(100, c.egid());
        assertArrayEquals(new int[0], c.groups());
        assertFalse(c.isRoot());
    }

    @Test
    void root_isUidZeroWithNoGroups() {
        Credentials r = Credentials.root();
        assertTrue(r.isRoot());
        assertEquals(Credentials.of(0, 0), r);
        assertEquals(0, r.groups().length);
    }

    @Test
    void of_negativeIds_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> Credentials.of(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Credentials.of(0, -1));
        assertThrows(IllegalArgumentException.class, () -> Credentials.of(0, 0, new int[] {5, -2}));
        assertThrows(
                IllegalArgumentException.class, () -> Credentials.ofIds(0, -1, 0, 0, new int[0]));
        assertThrows(
                IllegalArgumentException.class, () -> Credentials.ofIds(0, 0, 0, -1, new int[0]));
        assertThrows(
                IllegalArgumentException.class, () -> Credentials.of(1, 1).withEffective(-1, 0));
    }

    @Test
    void groups_areSortedDistinctAndCopied() {
        Credentials c = Credentials.of(1000, 100, new int[] {7, 3, 7, 5});
        assertArrayEquals(new int[] {3, 5, 7}, c.groups());
        c.groups()[0] = 99;
        assertArrayEquals(new int[] {3, 5, 7}, c.groups(), "groups() is a copy");
        int[] given = {9, 8};
        Credentials d = Credentials.of(1, 1, given);
        given[0] = 1;
        assertArrayEquals(new int[] {8, 9}, d.groups(), "the argument is copied");
    }

    @Test
    void inGroup_isTheEffectiveOrASupplementaryGroup_notTheReal() {
        Credentials c = Credentials.ofIds(1000, 1000, 100, 200, new int[] {300, 400});
        assertTrue(c.inGroup(200));
        assertTrue(c.inGroup(300));
        assertTrue(c.inGroup(400));
        assertFalse(c.inGroup(100), "the real gid is not used for permission checks");
        assertFalse(c.inGroup(0));
    }

    @Test
    void of_fourIdsWithGroups_needsAnExplicitArray() {
        // of(uid, gid, int...) and of(ruid, euid, rgid, egid, int...) are ambiguous for four or
        // more loose ints; an explicit array picks the first form.
        assertEquals(
                Credentials.ofIds(1, 1, 2, 2, new int[] {3, 4}),
                Credentials.of(1, 2, new int[] {3, 4}));
    }

    @Test
    void isRoot_followsTheEffectiveUid() {
        assertTrue(Credentials.ofIds(1000, 0, 1000, 1000, new int[0]).isRoot());
        assertFalse(Credentials.ofIds(0, 1000, 0, 0, new int[0]).isRoot());
    }

    @Test
    void asReal_usesTheRealIds() {
        Credentials c = Credentials.ofIds(1000, 0, 100, 0, new int[] {5});
        Credentials real = c.asReal();
        assertEquals(Credentials.ofIds(1000, 1000, 100, 100, new int[] {5}), real);
        assertFalse(real.isRoot());
        Credentials plain = Credentials.of(7, 8);
        assertSame(plain, plain.asReal());
    }

    @Test
    void withEffective_keepsTheRealIdsAndGroups() {
        Credentials c = Credentials.of(1000, 100, 5).withEffective(0, 50);
        assertEquals(1000, c.ruid());
        assertEquals(0, c.euid());
        assertEquals(100, c.rgid());
        assertEquals(50, c.egid());
        assertArrayEquals(new int[] {5}, c.groups());
    }

    @Test
    void equalsAndHashCode_compareEveryField() {
        assertEquals(
                Credentials.ofIds(1, 2, 3, 4, new int[] {5, 6}),
                Credentials.ofIds(1, 2, 3, 4, new int[] {6, 5, 5}));
        assertEquals(
                Credentials.ofIds(1, 2, 3, 4, new int[] {5, 6}).hashCode(),
                Credentials.ofIds(1, 2, 3, 4, new int[] {6, 5}).hashCode());
        assertNotEquals(
                Credentials.ofIds(1, 2, 3, 4, new int[0]),
                Credentials.ofIds(2, 1, 3, 4, new int[0]));
        assertNotEquals(
                Credentials.ofIds(1, 2, 3, 4, new int[0]),
                Credentials.ofIds(1, 2, 4, 3, new int[0]));
        assertNotEquals(Credentials.of(1, 2), Credentials.of(1, 2, 3));
        assertNotEquals(Credentials.of(1, 2), "uid=1 gid=2");
    }

    @Test
    void toString_showsRealAndEffectiveWhenTheyDiffer() {
        assertEquals("uid=1000 gid=100", Credentials.of(1000, 100).toString());
        assertEquals(
                "uid=1000/0 gid=100/50 groups=[3, 4]",
                Credentials.ofIds(1000, 0, 100, 50, new int[] {4, 3}).toString());
    }
}
