package io.proxplane.ldap.directory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A directory read from a JSON file ({"users":[...],"groups":[...],"serviceAccounts":[...]}, field
 * names as in the records), for running the gateway without a registry (demos, benchmarks).
 * Password changes are kept in memory only, and the log says so.
 */
public final class JsonDirectorySource implements DirectorySource {
    private final InMemoryDirectorySource memory = new InMemoryDirectorySource();

    public JsonDirectorySource(Path file) throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        DirectoryData data;
        try {
            data = mapper.readValue(Files.readString(file), DirectoryData.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("directory file " + file + " is invalid: " + e.getMessage(), e);
        }
        memory.replaceAll(data);
    }

    @Override
    public DirectoryData load() {
        return memory.load();
    }

    @Override
    public void onChange(Runnable listener) {
        memory.onChange(listener);
    }

    @Override
    public void updatePassword(String uid, String passwordHash, Instant changedAt) {
        org.slf4j.LoggerFactory.getLogger(JsonDirectorySource.class)
                .warn("password of {} changed in memory only: the JSON directory file is not rewritten", uid);
        memory.updatePassword(uid, passwordHash, changedAt);
    }
}
