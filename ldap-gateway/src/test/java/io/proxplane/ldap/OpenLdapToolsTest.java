package io.proxplane.ldap;

import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.server.GatewayConfig;
import io.proxplane.ldap.tls.InternalCa;
import io.proxplane.ldap.tls.TlsMaterial;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.proxplane.ldap.TestDirectory.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real OpenLDAP client tools (Debian ldap-utils) against the gateway over StartTLS and LDAPS,
 * verifying the internal CA's certificate with TLS_REQCERT demand, connecting by IP (see ldap-clients.md §9.4).
 */
class OpenLdapToolsTest {
    @TempDir
    static Path dir;
    static TestDirectory.Running gw;
    static Path ldapConf;
    static final String ALICE = "uid=alice,ou=people," + BASE;
    static final String SERVICE = "uid=ct-104,ou=services," + BASE;

    @BeforeAll
    static void start() throws Exception {
        InternalCa ca = InternalCa.loadOrCreate(dir.resolve("ca"), "proxplane test LDAP CA");
        Path caFile = dir.resolve("ldap-ca.pem");
        ca.writeCertificate(caFile);
        TlsMaterial server = ca.issueServerCertificate(List.of("127.0.0.1", "ldap1.cluster.example.internal"), Duration.ofDays(1));
        gw = new TestDirectory.Running(TestDirectory.standard(), GatewayConfig.defaults(), server.sslContext(), null,
                BindThrottle.Policy.DEFAULT);
        ldapConf = dir.resolve("ldap.conf");
        Files.writeString(ldapConf, "TLS_CACERT " + caFile + "\nTLS_REQCERT demand\n");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    record Run(int exit, String out) {
    }

    static Run run(Path conf, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("LDAPCONF", conf.toString());
        env.put("LDAPRC", "/nonexistent-ldaprc");
        env.put("HOME", dir.toString());
        Path output = Files.createTempFile(dir, "tool", ".out");
        pb.redirectOutput(output.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 30 s: " + Files.readString(output));
        }
        return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    static String startTls() {
        return "ldap://127.0.0.1:" + gw.gateway.ldapPort();
    }

    static String ldaps() {
        return "ldaps://127.0.0.1:" + gw.gateway.ldapsPort();
    }

    @Test
    void ldapwhoamiOverStartTlsAndLdaps() throws Exception {
        Run starttls = run(ldapConf, "ldapwhoami", "-x", "-ZZ", "-H", startTls(), "-D", ALICE, "-w", "alice-secret");
        assertThat(starttls.exit()).as(starttls.out()).isZero();
        assertThat(starttls.out().trim()).isEqualTo("dn:" + ALICE);
        Run tls = run(ldapConf, "ldapwhoami", "-x", "-H", ldaps(), "-D", ALICE, "-w", "alice-secret");
        assertThat(tls.exit()).as(tls.out()).isZero();
        assertThat(tls.out().trim()).isEqualTo("dn:" + ALICE);
    }

    @Test
    void suspendedUserAndWrongPasswordAreRefusedWith49() throws Exception {
        Run suspended = run(ldapConf, "ldapwhoami", "-x", "-H", ldaps(), "-D", "uid=carol,ou=people," + BASE, "-w", "carol-secret");
        assertThat(suspended.exit()).isEqualTo(49);
        assertThat(suspended.out()).contains("Invalid credentials (49)");
        Run wrong = run(ldapConf, "ldapwhoami", "-x", "-ZZ", "-H", startTls(), "-D", ALICE, "-w", "nope");
        assertThat(wrong.exit()).isEqualTo(49);
    }

    @Test
    void plainTextPasswordBindIsRefused() throws Exception {
        Run plain = run(ldapConf, "ldapwhoami", "-x", "-H", startTls(), "-D", ALICE, "-w", "alice-secret");
        assertThat(plain.exit()).isEqualTo(13);
        assertThat(plain.out()).contains("Confidentiality required");
    }

    @Test
    void certificateFromAnotherCaIsRejectedWithDemand() throws Exception {
        InternalCa other = InternalCa.loadOrCreate(dir.resolve("other-ca"), "someone else");
        Path otherFile = dir.resolve("other-ca.pem");
        other.writeCertificate(otherFile);
        Path conf = dir.resolve("other-ldap.conf");
        Files.writeString(conf, "TLS_CACERT " + otherFile + "\nTLS_REQCERT demand\n");
        Run r = run(conf, "ldapwhoami", "-x", "-H", ldaps(), "-D", ALICE, "-w", "alice-secret");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("Can't contact LDAP server");
    }

    @Test
    void ldapsearchGetentShapesAndPagedGroups() throws Exception {
        Run rootDse = run(ldapConf, "ldapsearch", "-x", "-ZZ", "-H", startTls(), "-LLL", "-b", "", "-s", "base",
                "(objectclass=*)", "namingContexts", "supportedControl", "supportedExtension");
        assertThat(rootDse.exit()).as(rootDse.out()).isZero();
        assertThat(rootDse.out()).contains("namingContexts: " + BASE, "supportedControl: 1.2.840.113556.1.4.319",
                "supportedExtension: 1.3.6.1.4.1.1466.20037");

        Run user = run(ldapConf, "ldapsearch", "-x", "-ZZ", "-H", startTls(), "-LLL", "-D", SERVICE, "-w", "service-secret",
                "-b", BASE, "(&(objectClass=posixAccount)(uidNumber=2001))", "uid", "uidNumber", "gidNumber", "homeDirectory");
        assertThat(user.exit()).as(user.out()).isZero();
        assertThat(user.out()).contains("dn: " + ALICE, "uidNumber: 2001", "gidNumber: 3001", "homeDirectory: /home/alice");

        Run groups = run(ldapConf, "ldapsearch", "-x", "-H", ldaps(), "-LLL", "-D", SERVICE, "-w", "service-secret",
                "-E", "pr=1/noprompt", "-b", BASE, "(objectClass=posixGroup)", "cn", "memberUid");
        assertThat(groups.exit()).as(groups.out()).isZero();
        assertThat(groups.out()).contains("dn: cn=bob,ou=groups," + BASE, "dn: cn=devs,ou=groups," + BASE,
                "dn: cn=ops,ou=groups," + BASE, "memberUid: alice");
        assertThat(groups.out().split("pagedresults: cookie=", -1)).as("one control per page").hasSizeGreaterThanOrEqualTo(3);

        Run anonymous = run(ldapConf, "ldapsearch", "-x", "-ZZ", "-H", startTls(), "-LLL", "-b", BASE, "(uid=alice)");
        assertThat(anonymous.exit()).isEqualTo(50);
    }

    @Test
    void ldappasswdWithAndWithoutOldPassword() throws Exception {
        String bob = "uid=bob,ou=people," + BASE;
        Run withOld = run(ldapConf, "ldappasswd", "-x", "-ZZ", "-H", startTls(), "-D", bob, "-w", "bob-secret",
                "-a", "bob-secret", "-s", "bob-second-pass", bob);
        assertThat(withOld.exit()).as(withOld.out()).isZero();
        gw.gateway.refresher().reload();
        Run withoutOld = run(ldapConf, "ldappasswd", "-x", "-H", ldaps(), "-D", bob, "-w", "bob-second-pass",
                "-s", "bob-third-pass");
        assertThat(withoutOld.exit()).as(withoutOld.out()).isZero();
        gw.gateway.refresher().reload();
        List<String> check = new ArrayList<>(List.of("ldapwhoami", "-x", "-H", ldaps(), "-D", bob, "-w"));
        check.add("bob-third-pass");
        assertThat(run(ldapConf, check.toArray(new String[0])).exit()).isZero();
        check.set(check.size() - 1, "bob-secret");
        assertThat(run(ldapConf, check.toArray(new String[0])).exit()).isEqualTo(49);
    }
}
