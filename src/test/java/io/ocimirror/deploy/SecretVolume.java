package io.ocimirror.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory laid out the way the kubelet lays out a Secret volume, and updated the way it updates one: the files
 * are links through {@code ..data} to a versioned directory, and an update writes a new version and swaps
 * {@code ..data} in one rename, so a reader sees either the old pair of files or the new pair, never a mix
 * (kubernetes pkg/volume/util/atomic_writer.go).
 */
final class SecretVolume {

    private static final List<String> FILES = List.of("tls.crt", "tls.key");

    private final Path directory;
    private int version;

    SecretVolume(Path directory) {
        this.directory = directory;
    }

    Path file(String name) {
        return directory.resolve(name);
    }

    /** Publishes copies of tls.crt and tls.key from {@code source} as the volume's new content. */
    synchronized void publish(Path source) {
        try {
            Files.createDirectories(directory);
            Path previous = Files.isSymbolicLink(directory.resolve("..data"))
                    ? directory.resolve(Files.readSymbolicLink(directory.resolve("..data")))
                    : null;
            String name = "..v" + ++version;
            Path next = Files.createDirectories(directory.resolve(name));
            for (String file : FILES) {
                Files.copy(source.resolve(file), next.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Path link = directory.resolve("..data_tmp");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(name));
            Files.move(link, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            for (String file : FILES) {
                Path visible = directory.resolve(file);
                if (!Files.isSymbolicLink(visible)) {
                    Files.createSymbolicLink(visible, Path.of("..data", file));
                }
            }
            if (previous != null) {
                delete(previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish the certificate to " + directory, e);
        }
    }

    static void delete(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    delete(child);
                }
            }
        }
        Files.delete(path);
    }
}
