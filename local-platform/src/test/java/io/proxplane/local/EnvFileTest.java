package io.proxplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {
    @TempDir
    Path dir;

    @Test
    void sourcedByShItGivesBackEveryValueExactly() throws Exception {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("PROXMOX_VE_API_TOKEN", "root@pam!local=it's $secret `x`");
        vars.put("PROXPLANE_REGISTRY_URL", "jdbc:postgresql://127.0.0.1:5432/proxplane_local");
        Path file = dir.resolve("env.sh");
        EnvFile.write(file, vars);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Process p = new ProcessBuilder("sh", "-c", ". \"$1\" && printf '%s\\n%s\\n' \"$PROXMOX_VE_API_TOKEN\" \"$PROXPLANE_REGISTRY_URL\"",
                "sh", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(out).isEqualTo(vars.get("PROXMOX_VE_API_TOKEN") + "\n" + vars.get("PROXPLANE_REGISTRY_URL") + "\n");
    }

    @Test
    void aBadNameIsRefused() {
        assertThatThrownBy(() -> EnvFile.render(Map.of("BAD-NAME", "x"))).hasMessageContaining("'BAD-NAME' is not a shell variable name");
    }
}
