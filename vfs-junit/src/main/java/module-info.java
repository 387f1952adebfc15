/** JUnit 5 support: @TempDir directories in a fresh PageVFS. */
module io.pagevfs.junit {
    requires transitive io.pagevfs.nio;
    requires static org.junit.jupiter.api;

    // exports io.pagevfs.junit once the package has its first type (the issue that builds it adds it)
}
