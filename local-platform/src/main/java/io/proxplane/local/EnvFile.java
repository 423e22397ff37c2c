package io.proxplane.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * {@code .local/platform/env.sh}: what a user needs to drive the running platform with their own
 * tofu/terraform, ldapsearch and curl ({@code . .local/platform/env.sh}). Written mode 0600: it
 * holds the Proxmox token and the demo password.
 */
final class EnvFile {
    private EnvFile() {
    }

    /** Renders {@code vars} (in order) as POSIX sh exports, values single-quoted. */
    static String render(Map<String, String> vars) {
        StringBuilder sb = new StringBuilder("""
                # Written by bin/proxplane-local for the platform it is running; source it:
                #   . .local/platform/env.sh
                # then e.g. "$PROXPLANE_TOFU" -chdir="$PROXPLANE_TF_DIR" plan, ldapsearch -x -ZZ ..., curl ...
                """);
        vars.forEach((k, v) -> {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("env.sh: '" + k + "' is not a shell variable name");
            }
            sb.append("export ").append(k).append('=').append(quote(v)).append('\n');
        });
        return sb.toString();
    }

    static String quote(String v) {
        return "'" + v.replace("'", "'\\''") + "'";
    }

    static void write(Path file, Map<String, String> vars) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, render(vars));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
