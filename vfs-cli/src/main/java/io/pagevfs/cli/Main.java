package io.pagevfs.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code pagevfs} command. */
@Command(
        name = "pagevfs",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description =
                "PageVFS: an in-memory filesystem for the JVM whose files can be memory-mapped.",
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(
            names = "--verbose",
            description = "Show stack traces for errors.",
            scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing command (try 'pagevfs demo' or 'pagevfs --help')");
    }

    public static void main(String[] args) {
        System.exit(
                run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit status (0 ok, 1 failure, 2 bad arguments). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(
                (ex, a) -> {
                    err.println("pagevfs: " + ex.getMessage());
                    return 2;
                });
        cli.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    if (main.verbose) {
                        ex.printStackTrace(err);
                    } else {
                        err.println("pagevfs: " + ex + " (use --verbose for details)");
                    }
                    return 1;
                });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pagevfs " + (v == null ? "development build" : v)};
        }
    }
}
