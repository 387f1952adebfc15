package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModeTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0100644, -rw-r--r--",
        "0100755, -rwxr-xr-x",
        "0104755, -rwsr-xr-x",
        "0104644, -rwSr--r--",
        "0102755, -rwxr-sr-x",
        "0102644, -rw-r-Sr--",
        "0100000, ----------",
        "0107777, -rwsrwsrwt",
        "0107666, -rwSrwSrwT",
        "0041777, drwxrwxrwt",
        "0041776, drwxrwxrwT",
        "0040700, drwx------",
        "0120777, lrwxrwxrwx",
        "0020666, crw-rw-rw-",
        "0060600, brw-------",
    })
    void toString_isWhatLsShows(String octal, String expected) {
        assertEquals(expected, Mode.toString(Integer.parseInt(octal, 8)));
    }

    @ParameterizedTest
    @CsvSource({"0755", "0010644", "0140755"})
    void toString_withoutAPageVfsFileType_isRejected(String octal) {
        assertThrows(
                IllegalArgumentException.class,
                () -> Mode.toString(Integer.parseInt(octal, 8)),
                "PageVFS has no FIFOs or sockets, and a mode needs a type");
    }
}
