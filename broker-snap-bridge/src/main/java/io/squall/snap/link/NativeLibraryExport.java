package io.squall.snap.link;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts jSerialComm's native library for this machine in a directory, for images whose {@code /tmp} is read-only
 * or {@code noexec}. At first use jSerialComm unpacks the library under {@code java.io.tmpdir} and loads it from
 * there, which fails on such a {@code /tmp}; an image build runs this once ({@code java -cp squall.jar
 * io.squall.snap.link.NativeLibraryExport /opt/squall/lib}) and the broker starts with
 * {@code -DjSerialComm.library.path=/opt/squall/lib}, where jSerialComm looks first. The library is found by
 * letting jSerialComm choose and load it (into a scratch {@code java.io.tmpdir}), so the choice of architecture
 * stays jSerialComm's and an unloadable library fails the build, not the first open of a port.
 */
public final class NativeLibraryExport {
    private static final Logger log = LoggerFactory.getLogger(NativeLibraryExport.class);
    private static final String LIBRARY = "libjSerialComm.so";

    private NativeLibraryExport() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: NativeLibraryExport <target directory>");
        }
        Path target = Path.of(args[0]);
        Path scratch = Files.createTempDirectory(target.toAbsolutePath().getParent(), "jserialcomm-");
        try {
            System.setProperty("java.io.tmpdir", scratch.toString());
            String version = SerialPort.getVersion(); // loads the native library
            Path library = find(scratch);
            Files.createDirectories(target);
            Files.copy(library, target.resolve(LIBRARY), StandardCopyOption.REPLACE_EXISTING);
            log.info("jSerialComm {} native library: {}", version, target.resolve(LIBRARY));
        } finally {
            delete(scratch);
        }
    }

    private static Path find(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(LIBRARY)).toList();
            if (found.size() != 1) {
                throw new IllegalStateException("expected one " + LIBRARY + " under " + dir + ", found " + found);
            }
            return found.get(0);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
