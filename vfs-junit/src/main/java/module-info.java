/** JUnit 5 support: @TempDir directories in a fresh PageVFS. */
module io.pagevfs.junit {
    requires transitive io.pagevfs.nio;
    // transitive: PageVfsTempDirFactory implements JUnit's TempDirFactory, so its users read JUnit
    requires transitive org.junit.jupiter.api;

    exports io.pagevfs.junit;
}
