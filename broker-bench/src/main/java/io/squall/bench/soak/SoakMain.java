package io.squall.bench.soak;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code bin/soak}'s entry point: runs a soak, prints its summary, exits 0 when it passed, 1 when not, 2 on bad use. */
public final class SoakMain {
    private static final Logger log = LoggerFactory.getLogger(SoakMain.class);

    private SoakMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The exit code of a run with these arguments. */
    public static int run(String[] args) {
        SoakOptions options;
        try {
            if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
                log.info(SoakOptions.USAGE);
                return 0;
            }
            options = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            log.error("soak: {}\n{}", e.getMessage(), SoakOptions.USAGE);
            return 2;
        }
        try {
            SoakReport report = Soak.run(options);
            log.info("\n{}", report.table());
            return report.passed() ? 0 : 1;
        } catch (Exception e) {
            log.error("SOAK FAILED: could not run: {}", e.getMessage(), e);
            return 1;
        }
    }
}
