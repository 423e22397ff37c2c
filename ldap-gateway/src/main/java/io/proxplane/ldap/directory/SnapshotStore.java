package io.proxplane.ldap.directory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The last good directory kept on local disk, so a gateway can start while the registry is down.
 * It holds password hashes: written owner-only (0600) from the first byte, to a temporary file
 * beside the target that is then renamed over it, so a crash never leaves half a snapshot.
 */
public final class SnapshotStore {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** What is stored: the data and when it was read from the registry. */
    public record Saved(Instant loadedAt, DirectoryData data) {
    }

    private final Path file;

    public SnapshotStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    public void save(DirectoryData data, Instant loadedAt) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // rely on the directory's permissions
            }
            JSON.writeValue(tmp.toFile(), new Saved(loadedAt, data));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The saved snapshot, or empty when there is none; an unreadable file is an error naming it. */
    public Optional<Saved> load() throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(file.toFile(), Saved.class));
        } catch (IOException e) {
            throw new IOException("directory snapshot " + file + " is unreadable: " + e.getMessage(), e);
        }
    }
}
