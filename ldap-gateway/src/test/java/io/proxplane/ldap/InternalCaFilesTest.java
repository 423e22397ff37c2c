package io.proxplane.ldap;

import io.proxplane.ldap.tls.InternalCa;
import io.proxplane.ldap.tls.TlsMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Certificates are readable by everyone (nslcd runs as its own user), keys by the owner only (issue item 3). */
class InternalCaFilesTest {
    @TempDir
    Path dir;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void certificatesAre0644AndKeys0600() throws Exception {
        InternalCa ca = InternalCa.loadOrCreate(dir.resolve("ca"), "test CA");
        Path out = dir.resolve("export/ldap-ca.pem");
        ca.writeCertificate(out);
        assertThat(mode(out)).isEqualTo("rw-r--r--");
        assertThat(mode(dir.resolve("ca/ca.pem"))).isEqualTo("rw-r--r--");
        assertThat(mode(dir.resolve("ca/ca-key.pem"))).isEqualTo("rw-------");
        TlsMaterial server = ca.issueServerCertificate(List.of("127.0.0.1"), Duration.ofDays(1));
        server.writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        assertThat(mode(dir.resolve("tls.crt"))).isEqualTo("rw-r--r--");
        assertThat(mode(dir.resolve("tls.key"))).isEqualTo("rw-------");
        // Rewriting keeps the modes (the file is replaced, not edited in place).
        ca.writeCertificate(out);
        assertThat(mode(out)).isEqualTo("rw-r--r--");
    }
}
