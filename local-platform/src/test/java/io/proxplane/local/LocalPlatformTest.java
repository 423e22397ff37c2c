package io.proxplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, end to end with {@code --once}: simulator, registry, LDAP gateway, the
 * OpenTofu apply of examples/terraform, edge-agent with the real nginx and dnsmasq, then every
 * component checked the way a user would use it, and the example destroyed.
 */
class LocalPlatformTest {

    @TempDir
    Path state;

    static final String TEST_DATABASE = "proxplane_local_test";

    @Test
    void runsTheWholePlatformOnEmbeddedDefaultsAndChecksEveryComponent() throws Exception {
        Path root = Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();
        admin("DROP DATABASE IF EXISTS " + TEST_DATABASE + " WITH (FORCE)");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        LocalPlatform platform = new LocalPlatform(out);
        String[] args = {"--once", "--state-dir", state.toString(),
                "--registry-url", "jdbc:postgresql://127.0.0.1:5432/" + TEST_DATABASE,
                "--ldap-port", Integer.toString(freePort()), "--ldaps-port", Integer.toString(freePort()),
                "--https-port", Integer.toString(freePort()), "--dns-port", Integer.toString(freePort())};
        try {
            platform.run(LocalOptions.parse(args, root));
        } catch (Exception e) {
            throw new AssertionError("the platform failed:\n" + buffer.toString(StandardCharsets.UTF_8), e);
        } finally {
            platform.stopAll();
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Proxmox VE simulator", "LDAP gateway: ldap://127.0.0.1:", "Apply complete!",
                "==> containers", "ldapwhoami -x -ZZ", "every component checked and the example destroyed");
        assertThat(text).containsPattern("ok  LDAP: \\S+ logs in over StartTLS")
                .containsPattern("ok  nginx: https://\\S+ -> 200")
                .containsPattern("ok  nginx stream: tcp \\d+ ->")
                .containsPattern("ok  dnsmasq: SRV \\S+ -> ")
                .containsPattern("ok  dnsmasq: A \\S+ -> 127\\.77\\.");
        // env.sh drives the running platform with the user's own tools
        assertThat(text).contains("==> drive it yourself: . ");
        String env = java.nio.file.Files.readString(state.resolve("env.sh"));
        assertThat(env).contains("export PROXMOX_VE_ENDPOINT='https://", "export PROXMOX_VE_API_TOKEN='root@pam!local=",
                "export PROXPLANE_REGISTRY_URL='postgresql://postgres@127.0.0.1:5432/" + TEST_DATABASE + "'",
                "export TF_CLI_CONFIG_FILE='" + state.resolve("terraform/cli.tfrc") + "'", "export PROXPLANE_TOFU='",
                "export LDAPURI='ldap://127.0.0.1:", "export LDAPTLS_CACERT='", "export CURL_CA_BUNDLE='");
        // logs: a separator per run and timestamped lines
        String ldapLog = java.nio.file.Files.readString(state.resolve("logs/ldap-gateway.log"));
        assertThat(ldapLog).containsPattern("===== \\d{4}-\\d\\d-\\d\\dT\\S+: ldap-gateway started by bin/proxplane-local =====")
                .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* \\[");
    }

    @Test
    void neverEmptiesADatabaseItDidNotCreate() throws Exception {
        String foreign = "proxplane_local_foreign";
        admin("DROP DATABASE IF EXISTS " + foreign + " WITH (FORCE)");
        admin("CREATE DATABASE " + foreign);
        admin("CREATE TABLE IF NOT EXISTS keep_me (id int)", foreign);
        Path root = Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();
        LocalPlatform platform = new LocalPlatform(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> platform.run(LocalOptions.parse(new String[] {"--once", "--state-dir", state.toString(),
                    "--registry-url", "jdbc:postgresql://127.0.0.1:5432/" + foreign}, root)))
                    .hasMessageContaining("database '" + foreign + "' exists and was not made by bin/proxplane-local");
        } finally {
            platform.stopAll();
        }
        admin("SELECT count(*) FROM keep_me", foreign); // still there
        admin("DROP DATABASE " + foreign + " WITH (FORCE)");
    }

    private static void admin(String sql) throws Exception {
        admin(sql, "postgres");
    }

    private static void admin(String sql, String database) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", null);
             java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void optionsAreCheckedWithTheirNames() {
        Path root = Path.of(".");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--proxmox-url", "https://pve:8006"}, root))
                .hasMessageContaining("--token");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--proxmox-url", "https://pve:8006", "--token", "root@pam"}, root))
                .hasMessageContaining("USER@REALM!ID=SECRET");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--colour", "red"}, root)).hasMessageContaining("--colour");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--https-port", "70000"}, root))
                .hasMessageContaining("--https-port must be in 1-65535");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--registry-url", "mysql://x/y"}, root))
                .hasMessageContaining("--registry-url: 'mysql://x/y' is not a registry URL; expected jdbc:postgresql://");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--tls-ca", "/no/such/ca.pem"}, root))
                .hasMessageContaining("--tls-ca /no/such/ca.pem is not a readable file");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--insecure", "--tls-fingerprint", "AA:BB"}, root))
                .hasMessageContaining("exclude each other");

        LocalOptions o = LocalOptions.parse(new String[] {"--proxmox-url", "https://pve:8006", "--token", "ops@pve!tf=s3=cr3t",
                "--tls-fingerprint", "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
                "--registry-url", "jdbc:postgresql://db:5432/pp?ssl=true"}, root);
        assertThat(o.tokenId()).isEqualTo("ops@pve!tf");
        assertThat(o.tokenSecret()).isEqualTo("s3=cr3t");
        assertThat(o.registryDatabase()).isEqualTo("pp");
        assertThat(o.maintenanceUrl()).isEqualTo("jdbc:postgresql://db:5432/postgres?ssl=true");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
