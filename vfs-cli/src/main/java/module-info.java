/** The pagevfs command. */
module io.pagevfs.cli {
    requires io.pagevfs.core;
    requires io.pagevfs.nio;
    requires io.pagevfs.resmgr;
    requires info.picocli;

    opens io.pagevfs.cli to
            info.picocli;
}
