package io.proxplane.ldap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.proxplane.core.engine.Engine;
import io.proxplane.core.engine.PasswordHasher;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.ServiceAccountSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.registry.Claim;
import io.proxplane.core.registry.Registry;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.core.registry.User;
import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.auth.LoggingBindAuditor;
import io.proxplane.ldap.directory.DirectoryLayout;
import io.proxplane.ldap.registry.RegistryDirectorySource;
import io.proxplane.ldap.server.GatewayConfig;
import io.proxplane.ldap.tls.InternalCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's SSSD and nslcd against a registry-backed gateway, as a container runs them: the
 * configurations are examples/ldap/sssd.conf and nslcd.conf with only the addresses (the gateway's
 * ports, this test's CA file) and the service account password filled in, certificate checking on
 * ({@code demand}), over LDAPS and over StartTLS. Each daemon runs in a private mount namespace
 * ({@code unshare -m}) with its own nsswitch.conf, pam.d, hosts (the examples' host names point at
 * 127.0.0.1), daemon configuration and state directories, so the machine's own are never used or
 * changed. Needs root and the packages bin/install-prerequisites installs (sssd-ldap, sssd-tools,
 * libnss-sss, libpam-sss, nslcd, libnss-ldapd, libpam-ldapd, pamtester, ldap-utils).
 *
 * <p>The users and groups are made through the engine, as the operator and the Terraform provider
 * make them: the access group ct-104-users before its members (so their numbers would have met
 * before private groups existed), alice and dave members, bob a suspended member, eve not a
 * member, pat a member with push 2FA, and the service account ct-104 the examples bind as.
 */
class RealClientsTest {
    static final String BASE = "dc=cluster,dc=example,dc=internal";
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String MANAGER = "terraform:real-clients";
    static final String SERVICE_PASSWORD = "service-account-password-for-ct-104";
    static final String ALICE_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh0ZXN0a2V5Zm9yYWxpY2Vvbmx5MDEyMzQ1Njc4OQ alice@laptop";
    static final Path ROOT = Path.of(System.getProperty("proxplane.project.root", "..")).toAbsolutePath().normalize();

    static String dbName;
    static RegistryConfig config;
    static Registry registry;
    static Engine engine;
    static RegistryDirectorySource source;
    static Gateway gateway;
    static Path work;
    static Path caFile;
    static FakePushService push;

    @BeforeAll
    static void start() throws Exception {
        assertThat(new ProcessBuilder("id", "-u").start().inputReader().readLine()).as("the real-client tests run as root"
                + " (private mount namespaces)").isEqualTo("0");
        for (String tool : List.of("/usr/sbin/sssd", "/usr/sbin/nslcd", "/usr/bin/pamtester", "/usr/bin/sss_ssh_authorizedkeys",
                "/usr/bin/ldappasswd", "/usr/bin/unshare")) {
            assertThat(Path.of(tool)).as(tool + " (run bin/install-prerequisites)").isExecutable();
        }
        dbName = "proxplane_ldap_clients_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
        RegistryDirectorySourceTest.admin("create database " + dbName);
        config = RegistryConfig.of(PG + dbName, "postgres", null);
        registry = Registry.open(config);
        engine = Engine.builder(config, endpoint -> {
            throw new IllegalStateException("no Proxmox in this test");
        }).registry(registry).passwordHasher(new PasswordHasher(1024, 1)).build();

        engine.groups().apply(MANAGER, new GroupSpec("ct-104-users", null, List.of(), false));
        user("alice", "alice-password-1", UserSpec.Status.ACTIVE, List.of("ct-104-users"), List.of(ALICE_KEY + "\n"));
        user("dave", "dave-password-1", UserSpec.Status.ACTIVE, List.of("ct-104-users"), List.of());
        user("bob", "bob-password-1", UserSpec.Status.SUSPENDED, List.of("ct-104-users"), List.of());
        user("eve", "eve-password-1", UserSpec.Status.ACTIVE, List.of(), List.of());
        engine.users().apply(MANAGER, new UserSpec("pat", null, null, null, null, List.of(), "pat-password-1",
                UserSpec.Status.ACTIVE, UserSpec.TwoFactorMode.PUSH, List.of("ct-104-users")));
        for (String u : List.of("carol1", "carol2", "carol3", "carol4")) {
            user(u, u + "-initial-pw", UserSpec.Status.ACTIVE, List.of("ct-104-users"), List.of());
        }
        engine.serviceAccounts().apply(Claim.asManager(MANAGER), new ServiceAccountSpec("ct-104", "lookups of container 104",
                SERVICE_PASSWORD));

        // Readable by the daemons whatever user they run as (nslcd may drop to its own).
        work = Files.createTempDirectory("proxplane-real-clients");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        InternalCa ca = InternalCa.loadOrCreate(work.resolve("ca"), "proxplane test LDAP CA");
        caFile = work.resolve("ldap-ca.pem");
        ca.writeCertificate(caFile);
        Files.setPosixFilePermissions(caFile, PosixFilePermissions.fromString("rw-r--r--"));
        var tls = ca.issueServerCertificate(List.of("ldap1.cluster.example.internal", "ldap2.cluster.example.internal", "127.0.0.1"),
                Duration.ofDays(1));
        source = new RegistryDirectorySource(registry, config, null);
        // Push 2FA: the phone never answers by itself (the service would wait 10 minutes), so an
        // unanswered push ends at the gateway's own bound, 8 s here (the examples' clients wait 40 s).
        // No approval window: each login below sends its own push.
        push = new FakePushService(Duration.ofMinutes(10));
        var coordinator = new io.proxplane.ldap.push.PushCoordinator(new io.proxplane.ldap.push.HttpPushNotifier(push.url(),
                null, null, Duration.ofSeconds(10)), Duration.ofSeconds(8), Duration.ZERO, Clock.systemUTC());
        gateway = new Gateway(new Gateway.Settings(new DirectoryLayout(BASE, true), GatewayConfig.defaults(),
                TestDirectory.CHEAP, BindThrottle.Policy.DEFAULT, InetAddress.getLoopbackAddress(), 0, 0, tls.sslContext(),
                Duration.ofMinutes(5), true), source, coordinator, new LoggingBindAuditor(), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    static void user(String name, String password, UserSpec.Status status, List<String> groups, List<String> keys) {
        engine.users().apply(MANAGER, new UserSpec(name, null, null, null, null, keys, password, status, null, groups));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) gateway.close();
        if (push != null) push.close();
        if (source != null) source.close();
        if (engine != null) engine.close();
        if (registry != null) registry.close();
        if (dbName != null) RegistryDirectorySourceTest.admin("drop database if exists " + dbName + " with (force)");
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- the four client set-ups ------------------------------------------------------------------

    @Test
    void sssdOverLdaps() throws Exception {
        check(Client.SSSD, false, "carol1", true);
    }

    @Test
    void sssdOverStartTls() throws Exception {
        check(Client.SSSD, true, "carol2", false);
    }

    @Test
    void nslcdOverLdaps() throws Exception {
        check(Client.NSLCD, false, "carol3", true);
    }

    @Test
    void nslcdOverStartTls() throws Exception {
        check(Client.NSLCD, true, "carol4", false);
    }

    enum Client { SSSD, NSLCD }

    void check(Client client, boolean startTls, String changer, boolean pushes) throws Exception {
        User alice = registry.users().findByUsername("alice").orElseThrow();
        User dave = registry.users().findByUsername("dave").orElseThrow();
        int group = registry.groups().findByName("ct-104-users").orElseThrow().gid();
        assertThat(dave.privateGid()).isNotEqualTo(group);

        // ldappasswd (the user changes its own password over LDAPS), then the login uses the new one
        String oldPw = changer + "-initial-pw";
        String newPw = changer + "-changed-pw";
        String before = gateway.refresher().get().user(changer).passwordHash();
        Run pw = run(List.of("ldappasswd", "-x", "-H", "ldaps://127.0.0.1:" + gateway.ldapsPort(), "-D",
                "uid=" + changer + ",ou=people," + BASE, "-w", oldPw, "-s", newPw), Map.of("LDAPTLS_CACERT", caFile.toString(),
                "LDAPTLS_REQCERT", "demand", "LDAPCONF", "/dev/null", "LDAPRC", "/nonexistent"));
        assertThat(pw.exit).as("ldappasswd: " + pw.out).isZero();
        // a hang guard of minutes: the registry's change feed brings the new hash to the snapshot
        for (long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
             System.nanoTime() < end && gateway.refresher().get().user(changer).passwordHash().equals(before); ) {
            Thread.sleep(20);
        }

        Path dir = Files.createTempDirectory(work, client.name().toLowerCase() + (startTls ? "-starttls-" : "-ldaps-"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("passwd-name", "getent passwd alice");
        checks.put("passwd-number", "getent passwd " + alice.uid());
        checks.put("group-name", "getent group ct-104-users");
        checks.put("group-number", "getent group " + group);
        checks.put("private-group-name", "getent group dave");
        checks.put("private-group-number", "getent group " + dave.privateGid());
        checks.put("id", "id dave");
        checks.put("enumerate-users", "getent passwd | grep -E '^(alice|dave|bob|eve|ct-104):' | cut -d: -f1 | sort | tr '\\n' ' '");
        checks.put("enumerate-groups", "getent group | grep -E '^(ct-104-users|dave):' | cut -d: -f1 | sort | tr '\\n' ' '");
        checks.put("login-right", "echo 'alice-password-1' | pamtester ptest alice authenticate acct_mgmt");
        // dave never logs in: his failures cannot lock out an account another check uses
        checks.put("login-wrong", "echo 'not-daves-password' | pamtester ptest dave authenticate");
        checks.put("login-suspended", "echo 'bob-password-1' | pamtester ptest bob authenticate acct_mgmt");
        checks.put("login-not-member", "echo 'eve-password-1' | pamtester ptest eve authenticate acct_mgmt");
        checks.put("login-changed-new", "echo '" + newPw + "' | pamtester ptest " + changer + " authenticate acct_mgmt");
        checks.put("login-changed-old", "echo '" + oldPw + "' | pamtester ptest " + changer + " authenticate");
        if (client == Client.SSSD) checks.put("ssh-keys", "sss_ssh_authorizedkeys alice");
        Thread phone = null;
        endUnansweredPush();
        int pushesBefore = push.requests.size();
        if (pushes) {
            // the phone: approves the first push, rejects the second, leaves the third unanswered
            checks.put("push-approved", "echo 'pat-password-1' | pamtester ptest pat authenticate acct_mgmt");
            checks.put("push-rejected", "echo 'pat-password-1' | pamtester ptest pat authenticate");
            checks.put("push-unanswered", "echo 'pat-password-1' | pamtester ptest pat authenticate");
            phone = new Thread(() -> {
                try {
                    push.answer("pat", "approve");
                    while (push.isPending("pat")) Thread.sleep(10);
                    push.answer("pat", "reject");
                } catch (InterruptedException | AssertionError e) {
                    // the assertions on the logins below tell what went wrong
                }
            });
            phone.setDaemon(true);
            phone.start();
        }

        Map<String, Result> r = runInNamespace(client, startTls, dir, checks);
        if (phone != null) {
            phone.interrupt();
            phone.join();
        }
        endUnansweredPush();
        String ctx = client + (startTls ? " StartTLS" : " LDAPS") + "\n" + Files.readString(dir.resolve("daemon.log")).lines()
                .skip(Math.max(0, Files.readString(dir.resolve("daemon.log")).lines().count() - 60)).reduce("", (a, b) -> a + b + "\n");

        // the password field is "*" (SSSD) or "x" (nslcd, shadow served)
        assertThat(r.get("passwd-name").out).as(ctx).matches("(?s)alice:[*x]:" + alice.uid() + ":" + alice.privateGid() + ":.*");
        assertThat(r.get("passwd-number").out).as(ctx).startsWith("alice:");
        assertThat(r.get("group-name").out).as(ctx).matches("(?s)ct-104-users:[*x]:" + group + ":.*")
                .contains("alice").contains("dave").doesNotContain("eve");
        assertThat(r.get("group-number").out).as(ctx).startsWith("ct-104-users:");
        assertThat(r.get("private-group-name").out).as(ctx).matches("(?s)dave:[*x]:" + dave.privateGid() + ":.*");
        assertThat(r.get("private-group-number").out).as(ctx).startsWith("dave:");
        assertThat(r.get("id").out).as(ctx).contains("uid=" + dave.uid() + "(dave)")
                .contains("gid=" + dave.privateGid() + "(dave)").contains(group + "(ct-104-users)");
        assertThat(r.get("enumerate-users").out.trim()).as(ctx + " (service accounts are not users)")
                .isEqualTo("alice bob dave eve");
        assertThat(r.get("enumerate-groups").out.trim()).as(ctx).isEqualTo("ct-104-users dave");
        assertThat(r.get("login-right").rc).as(ctx + r.get("login-right").out).isZero();
        assertThat(r.get("login-wrong").rc).as(ctx + r.get("login-wrong").out).isNotZero();
        assertThat(r.get("login-suspended").rc).as(ctx + r.get("login-suspended").out).isNotZero();
        assertThat(r.get("login-not-member").rc).as(ctx + r.get("login-not-member").out).isNotZero();
        // the password was right: the access check refused
        assertThat(r.get("login-not-member").out).as(ctx).contains("successfully authenticated");
        assertThat(r.get("login-changed-new").rc).as(ctx + r.get("login-changed-new").out).isZero();
        assertThat(r.get("login-changed-old").rc).as(ctx + r.get("login-changed-old").out).isNotZero();
        if (client == Client.SSSD) assertThat(r.get("ssh-keys").out.trim()).as(ctx).isEqualTo(ALICE_KEY);
        if (pushes) {
            assertThat(r.get("push-approved").rc).as(ctx + r.get("push-approved").out).isZero();
            assertThat(r.get("push-rejected").rc).as(ctx + r.get("push-rejected").out).isNotZero();
            assertThat(r.get("push-unanswered").rc).as(ctx + r.get("push-unanswered").out).isNotZero();
            assertThat(push.requests.subList(pushesBefore, push.requests.size())).as("one push per login")
                    .extracting(j -> j.get("username").asText()).containsExactly("pat", "pat", "pat");
        }
    }

    /**
     * The push service keeps an unanswered request open long after the gateway gave up on it; the
     * phone of the next login must not answer that one.
     */
    static void endUnansweredPush() throws InterruptedException {
        if (push.isPending("pat")) push.answer("pat", "timeout");
        while (push.isPending("pat")) Thread.sleep(10);
    }

    // ---- the namespace --------------------------------------------------------------------------

    record Result(int rc, String out) {
    }

    record Run(int exit, String out) {
    }

    /** The example configuration with the addresses of this test: ports, the CA file, the password. */
    static String exampleConfig(Client client, boolean startTls) throws Exception {
        int port = startTls ? gateway.ldapPort() : gateway.ldapsPort();
        String scheme = startTls ? "ldap" : "ldaps";
        if (client == Client.SSSD) {
            String conf = Files.readString(ROOT.resolve("examples/ldap/sssd.conf"));
            conf = replace(conf, "ldap_uri = ldaps://ldap1.cluster.example.internal, ldaps://ldap2.cluster.example.internal",
                    "ldap_uri = " + scheme + "://ldap1.cluster.example.internal:" + port + ", " + scheme
                            + "://ldap2.cluster.example.internal:" + port + (startTls ? "\nldap_id_use_start_tls = true" : ""));
            conf = replace(conf, "ldap_tls_cacert = /etc/proxplane/ldap-ca.pem", "ldap_tls_cacert = " + caFile);
            conf = replace(conf, "ldap_default_authtok = <service account password>", "ldap_default_authtok = " + SERVICE_PASSWORD);
            // enumeration is off in the example (a container needs none); on here to check it works, and
            // the NSS responder's cache of the (empty, until the first enumeration ends) list kept short
            conf = replace(conf, "enumerate = false", "enumerate = true");
            return conf + "\n[nss]\nenum_cache_timeout = 1\n";
        }
        String conf = Files.readString(ROOT.resolve("examples/ldap/nslcd.conf"));
        conf = replace(conf, "uri ldaps://ldap1.cluster.example.internal/ ldaps://ldap2.cluster.example.internal/",
                "uri " + scheme + "://ldap1.cluster.example.internal:" + port + "/ " + scheme + "://ldap2.cluster.example.internal:"
                        + port + "/");
        if (startTls) conf = replace(conf, "ssl on", "ssl start_tls");
        conf = replace(conf, "tls_cacertfile /etc/proxplane/ldap-ca.pem", "tls_cacertfile " + caFile);
        conf = replace(conf, "bindpw <service account password>", "bindpw " + SERVICE_PASSWORD);
        return conf;
    }

    static String replace(String text, String from, String to) {
        assertThat(text).as("the example configuration has: " + from).contains(from);
        return text.replace(from, to);
    }

    Map<String, Result> runInNamespace(Client client, boolean startTls, Path n, Map<String, String> checks) throws Exception {
        Files.writeString(n.resolve("hosts"), "127.0.0.1 localhost\n"
                + "127.0.0.1 ldap1.cluster.example.internal ldap2.cluster.example.internal\n127.0.1.1 ct104\n");
        String module = client == Client.SSSD ? "sss" : "ldap";
        Files.writeString(n.resolve("nsswitch.conf"), "passwd: files " + module + "\ngroup: files " + module
                + "\nshadow: files " + module + "\nhosts: files\n");
        Path pamd = n.resolve("pam.d");
        Files.createDirectories(pamd);
        String pamModule = client == Client.SSSD ? "pam_sss.so" : "pam_ldap.so";
        Files.writeString(pamd.resolve("ptest"), "auth required " + pamModule + "\naccount required " + pamModule
                + "\npassword required " + pamModule + "\nsession optional " + pamModule + "\n");
        Files.writeString(pamd.resolve("other"), "auth required pam_deny.so\naccount required pam_deny.so\n"
                + "password required pam_deny.so\nsession required pam_deny.so\n");
        StringBuilder script = new StringBuilder("""
                set -u
                N=%s
                mount --bind $N/hosts /etc/hosts
                mount --bind $N/nsswitch.conf /etc/nsswitch.conf
                mount --bind $N/pam.d /etc/pam.d
                mount -t tmpfs tmpfs /run
                hostname ct104
                """.formatted(n));
        if (client == Client.SSSD) {
            Path etc = n.resolve("etc-sssd");
            Files.createDirectories(etc.resolve("conf.d"));
            Path conf = etc.resolve("sssd.conf");
            Files.writeString(conf, exampleConfig(client, startTls));
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            Path state = n.resolve("var-lib-sss");
            for (String d : List.of("db", "mc", "pubconf/krb5.include.d", "gpo_cache", "secrets", "deskprofile", "keytabs",
                    "pipes/private")) {
                Files.createDirectories(state.resolve(d));
            }
            Files.setPosixFilePermissions(state.resolve("pipes/private"), PosixFilePermissions.fromString("rwx------"));
            script.append("""
                    mount --bind $N/etc-sssd /etc/sssd
                    mount --bind $N/var-lib-sss /var/lib/sss
                    mkdir -p /run/sssd
                    sssd -i --logger=stderr -d 2 >$N/daemon.log 2>&1 & D=$!
                    SOCKET=/var/lib/sss/pipes/nss
                    """);
        } else {
            Path conf = n.resolve("nslcd.conf");
            Files.writeString(conf, exampleConfig(client, startTls));
            script.append("""
                    chown root:nslcd $N/nslcd.conf && chmod 0640 $N/nslcd.conf
                    mount --bind $N/nslcd.conf /etc/nslcd.conf
                    mkdir -p /run/nslcd && chown nslcd:nslcd /run/nslcd
                    nslcd -d >$N/daemon.log 2>&1 & D=$!
                    SOCKET=/run/nslcd/socket
                    """);
        }
        // hang guards of minutes, never verdicts: a slow machine only waits longer
        script.append("""
                for i in $(seq 1 1200); do [ -S $SOCKET ] && break; kill -0 $D 2>/dev/null || break; sleep 0.1; done
                echo "### daemon-socket"; [ -S $SOCKET ] && echo up; echo "### rc=0 t=$SECONDS"
                # the directory answers through the daemon: wait for the first user before checking
                for i in $(seq 1 600); do timeout 60 getent passwd alice >/dev/null && break; sleep 0.2; done
                echo "waited for alice until t=$SECONDS"
                for i in $(seq 1 600); do [ "$(getent passwd | grep -cE '^(alice|dave|bob|eve):')" = 4 ] && break; sleep 0.2; done
                echo "waited for the users' enumeration until t=$SECONDS"
                for i in $(seq 1 600); do getent group | grep -q '^dave:' && break; sleep 0.2; done
                echo "waited for the groups' enumeration until t=$SECONDS"
                """);
        for (Map.Entry<String, String> c : checks.entrySet()) {
            script.append("echo '### ").append(c.getKey()).append("'\n")
                    .append("timeout 120 bash -c ").append(shellQuote(c.getValue())).append(" 2>&1; rc=$?; echo; echo \"### rc=$rc t=$SECONDS\"\n");
        }
        script.append("kill $D; wait $D\n");
        Path file = n.resolve("checks.sh");
        Files.writeString(file, script.toString());

        Run run = run(List.of("unshare", "-m", "-u", "--propagation", "private", "bash", file.toString()), Map.of());
        Map<String, Result> results = parse(run.out);
        assertThat(results.get("daemon-socket")).as(client + " started; its log:\n" + Files.readString(n.resolve("daemon.log"))
                + "\nchecks:\n" + run.out).isNotNull();
        assertThat(results.get("daemon-socket").out).as(client + " socket; its log:\n" + Files.readString(n.resolve("daemon.log")))
                .contains("up");
        assertThat(results.keySet()).as(run.out).containsAll(checks.keySet());
        System.out.println(client + (startTls ? " StartTLS" : " LDAPS") + " checks (t = seconds since the namespace started):\n" + run.out);
        return results;
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static Map<String, Result> parse(String out) {
        Map<String, Result> results = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?ms)^### (\\S+)\\n(.*?)^### rc=(\\d+) t=\\d+$").matcher(out);
        while (m.find()) results.put(m.group(1), new Result(Integer.parseInt(m.group(3)), m.group(2)));
        return results;
    }

    /** Runs a command to its end (a hang guard of 10 minutes), stdin closed; stdout and stderr together. */
    static Run run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path output = Files.createTempFile(work, "run", ".out");
        pb.redirectOutput(output.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish in 10 minutes:\n" + Files.readString(output));
        }
        return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
