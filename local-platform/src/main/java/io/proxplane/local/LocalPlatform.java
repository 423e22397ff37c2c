package io.proxplane.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.ldap.tls.InternalCa;
import io.proxplane.ldap.tls.TlsMaterial;
import io.proxplane.pvesim.PveSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The README's main job: the whole platform on one machine. Without a Proxmox endpoint it starts
 * the embedded simulator; then the registry (local PostgreSQL), the LDAP gateway, an OpenTofu
 * apply of {@code examples/terraform} through the proxplane provider, and the edge-agent with
 * nginx and dnsmasq for every site the apply created. It prints the containers, their URLs and
 * how to log in through LDAP, and keeps running until Ctrl-C ({@code --once}: checks, destroys,
 * exits).
 */
public final class LocalPlatform {

    static final String BASE_DN = "dc=proxplane,dc=local";
    static final String DEMO_PASSWORD_VARIABLE = "alice_password";

    private final PrintStream out;
    private final Deque<AutoCloseable> stack = new ConcurrentLinkedDeque<>();

    LocalPlatform(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("proxplane.project.root", ".")).toAbsolutePath().normalize();
        LocalOptions options;
        try {
            options = LocalOptions.parse(args, root);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(LocalOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(LocalOptions.USAGE);
            return;
        }
        LocalPlatform platform = new LocalPlatform(System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            platform.stopAll();
            stopped.countDown();
        }));
        try {
            platform.run(options);
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            platform.stopAll();
            System.exit(1);
        }
        if (options.once()) {
            platform.stopAll();
            return;
        }
        System.out.println("==> running; Ctrl-C stops every component");
        stopped.await();
    }

    /** Brings the platform up; with {@code --once} also checks and destroys it. Components stay up otherwise. */
    void run(LocalOptions o) throws Exception {
        // Before anything starts: a taken port is reported now, by name, not as a component that
        // never gets ready a minute later.
        PortCheck.requireFree(PortCheck.wanted(o));
        Path state = o.stateDir();
        Files.createDirectories(state);
        Path logs = state.resolve("logs");
        Path root = o.projectRoot();

        // --- Proxmox -------------------------------------------------------------------------
        String endpoint;
        String token;
        String fingerprint = o.tlsFingerprint();
        boolean ephemeral = o.proxmoxUrl() == null;
        if (ephemeral) {
            PveSimulator simulator = PveSimulator.builder()
                    .port(o.simulatorPort())
                    .nodes("pve1", "pve2")
                    .apiToken(LocalOptions.SIMULATOR_TOKEN_ID, LocalOptions.SIMULATOR_TOKEN_SECRET)
                    .taskDuration(Duration.ofMillis(200))
                    .build()
                    .start();
            stack.push(simulator);
            endpoint = simulator.baseUrl();
            token = LocalOptions.SIMULATOR_TOKEN_ID + "=" + LocalOptions.SIMULATOR_TOKEN_SECRET;
            fingerprint = simulator.certificateFingerprintSha256();
            out.printf("==> Proxmox VE simulator (nodes pve1, pve2) at %s%n", endpoint);
        } else {
            endpoint = o.proxmoxUrl();
            token = o.tokenId() + "=" + o.tokenSecret();
            out.printf("==> Proxmox VE at %s%n", endpoint);
        }

        // --- registry --------------------------------------------------------------------------
        // The simulator starts empty every run, so the registry and the Terraform state that
        // describe its containers must start empty too; against a real Proxmox both are kept.
        Path tfDir = state.resolve("terraform");
        if (ephemeral) {
            recreateDatabase(o);
            deleteTree(tfDir);
        } else {
            createDatabaseIfMissing(o);
        }
        out.printf("==> registry: %s (user %s)%n", o.registryUrl(), o.registryUser());

        // --- LDAP gateway ----------------------------------------------------------------------
        Path caDir = state.resolve("ca");
        InternalCa ca = InternalCa.loadOrCreate(caDir, "proxplane local CA");
        Path caCert = caDir.resolve("ca.pem");
        int ldapHttp = freePort();
        Daemon ldap = Daemon.start("ldap-gateway", root.resolve("ldap-gateway/target/ldap-gateway.jar"), List.of(
                "--base-dn=" + BASE_DN, "--registry-url=" + o.registryUrl(), "--registry-user=" + o.registryUser(),
                "--listen=127.0.0.1", "--ldap-port=" + o.ldapPort(), "--ldaps-port=" + o.ldapsPort(),
                "--http-port=" + ldapHttp, "--ca-dir=" + caDir, "--tls-san=localhost,127.0.0.1",
                "--resync=PT1M"), Map.of(), logs);
        stack.push(ldap);
        ldap.awaitReady(() -> httpOk("http://127.0.0.1:" + ldapHttp + "/readyz"), Duration.ofSeconds(60));
        out.printf("==> LDAP gateway: ldap://127.0.0.1:%d (StartTLS), ldaps://127.0.0.1:%d, base %s; log %s%n",
                o.ldapPort(), o.ldapsPort(), BASE_DN, show(root, ldap.log()));

        // --- Terraform -------------------------------------------------------------------------
        String demoPassword = randomPassword();
        Map<String, String> tfEnv = new HashMap<>();
        tfEnv.put("PROXMOX_VE_ENDPOINT", endpoint);
        tfEnv.put("PROXMOX_VE_API_TOKEN", token);
        if (fingerprint != null) {
            tfEnv.put("PROXMOX_VE_TLS_FINGERPRINT", fingerprint);
        } else if (o.tlsCa() != null) {
            tfEnv.put("PROXMOX_VE_CA_FILE", o.tlsCa().toString());
        } else if (o.insecure()) {
            tfEnv.put("PROXMOX_VE_INSECURE", "true");
        }
        // The provider's libpq form carries the user (the provider has no separate user setting).
        tfEnv.put("PROXPLANE_REGISTRY_URL", "postgresql://" + java.net.URLEncoder.encode(o.registryUser(), java.nio.charset.StandardCharsets.UTF_8)
                + "@" + o.registryUrl().substring("jdbc:postgresql://".length()));
        tfEnv.put("TF_VAR_" + DEMO_PASSWORD_VARIABLE, demoPassword);
        tfEnv.put("TF_VAR_proxmox_endpoint", endpoint);
        tfEnv.put("TF_VAR_edge_address", "127.0.0.1"); // the local edge listens on loopback
        tfEnv.put("TF_VAR_tls_dir", state.resolve("edge/tls").toString());
        if (ephemeral) {
            // A loopback site network: the simulated containers' addresses can be bound here by
            // stand-in applications, and nothing the edge proxies leaves this machine. No DNS
            // forwarders, for the same reason.
            tfEnv.put("TF_VAR_site_network", "127.77.0.0/16");
            tfEnv.put("TF_VAR_site_gateway", "127.77.0.1");
            tfEnv.put("TF_VAR_site_dhcp_range", "[\"127.77.200.1\", \"127.77.200.250\"]");
            tfEnv.put("TF_VAR_dns_forwarders", "[]");
        }
        Tofu tofu = Tofu.prepare(root, tfDir, root.resolve("terraform-provider/target/mirror"), tfEnv);
        copyConfiguration(o.example(), tfDir);
        out.printf("==> OpenTofu: applying %s (working directory %s)%n", show(root, o.example()), show(root, tfDir));
        tofu.run("init", "-input=false", "-no-color").orThrow("init");
        Tofu.Result apply = tofu.run("apply", "-auto-approve", "-input=false", "-no-color").orThrow("apply");
        apply.stdout().lines().filter(l -> l.startsWith("Apply complete")).forEach(l -> out.println("    " + l));
        Deployment deployment = Deployment.fromStateJson(new ObjectMapper().readTree(
                tofu.run("show", "-json", "-no-color").orThrow("show").stdout()));

        StandInApps apps = null;
        if (ephemeral) {
            apps = StandInApps.start(deployment, out);
            stack.push(apps);
            // containers and services made later (your own apply) get theirs within seconds
            io.proxplane.core.registry.Registry registry = io.proxplane.core.registry.Registry.open(
                    io.proxplane.core.registry.RegistryConfig.of(o.registryUrl(), o.registryUser(), null).withMaxPoolSize(2));
            stack.push(registry::close);
            apps.follow(registry, deployment.sites(), Duration.ofSeconds(2));
            out.printf("==> %d stand-in applications listen on the simulated containers' loopback addresses"
                    + " (and follow containers added later)%n", apps.count());
        }

        // --- edge ------------------------------------------------------------------------------
        Path edgeDir = state.resolve("edge");
        Path tlsDir = edgeDir.resolve("tls");
        for (String domain : deployment.domains()) {
            writeCertificate(ca.issueServerCertificate(List.of(domain, "*." + domain), Duration.ofDays(90)), tlsDir, domain);
        }
        List<Edge> edges = new ArrayList<>();
        int siteIndex = 0;
        for (String site : deployment.sites()) {
            Edge edge = startEdge(o, site, edgeDir.resolve(site), tlsDir, logs, siteIndex++);
            edges.add(edge);
        }

        printSummary(o, deployment, edges, caCert, demoPassword);
        Path envFile = state.resolve("env.sh");
        EnvFile.write(envFile, environment(o, tfEnv, tofu, tfDir, edges, caCert, deployment, demoPassword));
        out.printf("==> drive it yourself: . %s   (then \"$PROXPLANE_TOFU\" -chdir=\"$PROXPLANE_TF_DIR\" plan, ldapsearch, curl)%n%n",
                show(root, envFile));

        if (o.once()) {
            Checks.run(out, o, deployment, edges, apps, caCert, demoPassword);
            out.println("==> OpenTofu: destroy");
            tofu.run("destroy", "-auto-approve", "-input=false", "-no-color").orThrow("destroy");
            out.println("==> every component checked and the example destroyed");
        }
    }

    /** One edge (edge-agent + the nginx and dnsmasq it manages) for one site. */
    record Edge(String site, int httpsPort, int dnsPort, Daemon agent, Path nginxPid, Path dnsmasqPid) implements AutoCloseable {
        @Override
        public void close() {
            agent.close();
            // The agent leaves nginx and dnsmasq serving when it stops (by design: a dead agent must
            // not take the edge down); the local platform owns them, so it stops them too.
            for (Path pid : List.of(nginxPid, dnsmasqPid)) {
                try {
                    if (Files.exists(pid)) {
                        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroy);
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // already gone
                }
            }
        }
    }

    private Edge startEdge(LocalOptions o, String site, Path dir, Path tlsDir, Path logs, int index) throws Exception {
        // The first site gets the advertised ports; further sites the next ones up.
        int https = o.httpsPort() + index;
        int dns = o.dnsPort() + index;
        int health = freePort();
        int dhcpServer = freeUdpPort();
        int dhcpClient = freeUdpPort();
        Path nginxRuntime = dir.resolve("nginx-run");
        Path dnsmasqPid = dir.resolve("dnsmasq-run/dnsmasq.pid");
        List<String> args = new ArrayList<>(List.of(
                "--registry-url=" + o.registryUrl(), "--registry-user=" + o.registryUser(), "--site=" + site,
                "--agent-id=local-" + site, "--nginx-dir=" + dir.resolve("nginx"), "--nginx-runtime-dir=" + nginxRuntime,
                "--nginx-listen=127.0.0.1", "--nginx-https-port=" + https, "--nginx-http-port=0",
                "--dnsmasq-dir=" + dir.resolve("dnsmasq"), "--dnsmasq-pid-file=" + dnsmasqPid,
                "--dnsmasq-listen=127.0.0.1", "--dnsmasq-port=" + dns, "--dnsmasq-lease-file=" + dir.resolve("dnsmasq.leases"),
                "--dnsmasq-dhcp-ports=" + dhcpServer + "," + dhcpClient,
                "--tls-certificate-dir=" + tlsDir, "--tls-key-dir=" + tlsDir,
                "--http-listen=127.0.0.1:" + health));
        if ("root".equals(System.getProperty("user.name"))) {
            args.add("--nginx-worker-user=root");
            args.add("--dnsmasq-user=root");
        }
        Daemon agent = Daemon.start("edge-agent-" + site, o.projectRoot().resolve("edge-agent/target/edge-agent.jar"),
                args, Map.of(), logs);
        Edge edge = new Edge(site, https, dns, agent, nginxRuntime.resolve("nginx.pid"), dnsmasqPid);
        stack.push(edge);
        agent.awaitReady(() -> httpOk("http://127.0.0.1:" + health + "/readyz"), Duration.ofSeconds(90));
        out.printf("==> edge for site %s: nginx https://127.0.0.1:%d, dnsmasq 127.0.0.1:%d; log %s%n",
                site, https, dns, show(o.projectRoot(), agent.log()));
        return edge;
    }

    private void printSummary(LocalOptions o, Deployment d, List<Edge> edges, Path caCert, String password) {
        Path root = o.projectRoot();
        out.println();
        out.println("==> containers");
        out.printf("    %-14s %-10s %-6s %-7s %-15s %s%n", "NAME", "SITE", "NODE", "VMID", "IPV4", "FQDN");
        for (Deployment.Container c : d.containers()) {
            out.printf("    %-14s %-10s %-6s %-7s %-15s %s%n", c.name(), c.site(), c.node(), c.vmid(), c.ipv4(), c.fqdn());
        }
        if (!d.services().isEmpty()) {
            out.println("==> services");
            for (Deployment.Service s : d.services()) {
                Edge edge = edges.stream().filter(e -> e.site().equals(s.site())).findFirst().orElse(null);
                out.printf("    %-24s %s%n", s.container() + "/" + s.name(), s.describe());
                if (edge != null && s.httpHost() != null) {
                    out.printf("      try: curl --cacert %s --resolve %s:%d:127.0.0.1 https://%s:%d/%n",
                            show(root, caCert), s.httpHost(), edge.httpsPort(), s.httpHost(), edge.httpsPort());
                }
                if (edge != null && s.srvName() != null) {
                    out.printf("      try: dig @127.0.0.1 -p %d SRV %s%n", edge.dnsPort(), s.srvName());
                }
            }
        }
        out.println("==> log in through LDAP (what SSSD in every container does)");
        for (String user : d.usersWithPassword()) {
            out.printf("    LDAPTLS_CACERT=%s ldapwhoami -x -ZZ -H ldap://127.0.0.1:%d -D uid=%s,ou=people,%s -w '%s'%n",
                    show(root, caCert), o.ldapPort(), user, BASE_DN, password);
        }
        out.printf("    LDAPTLS_CACERT=%s ldapsearch -x -ZZ -H ldap://127.0.0.1:%d -D uid=%s,ou=people,%s -w '%s' -b %s '(objectClass=posixAccount)' uid uidNumber memberOf%n",
                show(root, caCert), o.ldapPort(), d.usersWithPassword().stream().findFirst().orElse("USER"), BASE_DN,
                password, BASE_DN);
        out.println();
    }

    /** What env.sh exports: the provider's settings and variables, the CLI config, and LDAP/curl settings. */
    static Map<String, String> environment(LocalOptions o, Map<String, String> tfEnv, Tofu tofu, Path tfDir, List<Edge> edges,
                                           Path caCert, Deployment d, String password) {
        Map<String, String> env = new java.util.LinkedHashMap<>(new java.util.TreeMap<>(tfEnv));
        env.put("TF_CLI_CONFIG_FILE", tfDir.resolve("cli.tfrc").toString());
        env.put("PROXPLANE_TOFU", tofu.binary().toString());
        env.put("PROXPLANE_TF_DIR", tfDir.toString());
        // the provider's launcher runs on this JDK (>= 21) even when java on PATH is older
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PROXPLANE_JDBC_URL", o.registryUrl());
        // psql reads PG* (single-host URLs; a multi-host JDBC URL is left to PROXPLANE_JDBC_URL)
        String hostPort = o.registryUrl().substring("jdbc:postgresql://".length()).split("/", 2)[0];
        if (!hostPort.contains(",")) {
            int colon = hostPort.lastIndexOf(':');
            env.put("PGHOST", colon < 0 ? hostPort : hostPort.substring(0, colon));
            if (colon >= 0) {
                env.put("PGPORT", hostPort.substring(colon + 1));
            }
        }
        env.put("PGUSER", o.registryUser());
        env.put("PGDATABASE", o.registryDatabase());
        // OpenLDAP clients read LDAP<option> from the environment (ldap.conf(5))
        env.put("LDAPURI", "ldap://127.0.0.1:" + o.ldapPort());
        env.put("LDAPBASE", BASE_DN);
        env.put("LDAPTLS_CACERT", caCert.toString());
        d.usersWithPassword().stream().findFirst().ifPresent(u -> {
            env.put("PROXPLANE_LDAP_USER_DN", "uid=" + u + ",ou=people," + BASE_DN);
            env.put("PROXPLANE_LDAP_PASSWORD", password);
        });
        env.put("CURL_CA_BUNDLE", caCert.toString());
        if (!edges.isEmpty()) {
            env.put("PROXPLANE_HTTPS_PORT", Integer.toString(edges.getFirst().httpsPort()));
            env.put("PROXPLANE_DNS_PORT", Integer.toString(edges.getFirst().dnsPort()));
        }
        return env;
    }

    void stopAll() {
        AutoCloseable c;
        while ((c = stack.poll()) != null) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("warning: stopping " + c + ": " + e.getMessage());
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    /** A path as the user would type it from the project root: relative inside it, absolute elsewhere. */
    static String show(Path root, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }

    private static void copyConfiguration(Path example, Path tfDir) throws IOException {
        if (!Files.isDirectory(example)) {
            throw new IllegalStateException("--example " + example + " is not a directory");
        }
        try (Stream<Path> files = Files.list(example)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".tf")).toList()) {
                Files.copy(f, tfDir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Marks the databases this program made, so that it never drops one it did not make. */
    static final String DATABASE_MARK = "created by bin/proxplane-local; emptied on every run with the simulator";

    /**
     * The simulator starts empty, so its registry must too. Only a database this program created
     * (marked by its comment) is dropped; any other is refused, since --registry-url might name a
     * real registry.
     */
    private static void recreateDatabase(LocalOptions o) throws Exception {
        String db = o.registryDatabase();
        try (Connection c = DriverManager.getConnection(o.maintenanceUrl(), o.registryUser(), null);
             Statement st = c.createStatement()) {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
                q.setString(1, db);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        if (!DATABASE_MARK.equals(rs.getString(1))) {
                            throw new IllegalStateException("--registry-url: database '" + db + "' exists and was not made by "
                                    + "bin/proxplane-local; with the embedded simulator the registry must start empty, so "
                                    + "name a database that does not exist (it is created) or drop this one yourself");
                        }
                        st.execute("DROP DATABASE " + quoteIdentifier(db) + " WITH (FORCE)");
                    }
                }
            }
            st.execute("CREATE DATABASE " + quoteIdentifier(db));
            st.execute("COMMENT ON DATABASE " + quoteIdentifier(db) + " IS '" + DATABASE_MARK + "'");
        }
    }

    private static void createDatabaseIfMissing(LocalOptions o) throws Exception {
        String db = o.registryDatabase();
        try (Connection c = DriverManager.getConnection(o.maintenanceUrl(), o.registryUser(), null);
             PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, db);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE DATABASE " + quoteIdentifier(db));
                    }
                }
            }
        }
    }

    private static String quoteIdentifier(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("--registry-url: database name '" + name + "' must be a plain identifier");
        }
        return "\"" + name + "\"";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void writeCertificate(TlsMaterial tls, Path dir, String domain) throws Exception {
        Files.createDirectories(dir);
        tls.writePem(dir.resolve(domain + ".crt"), dir.resolve(domain + ".key"));
    }

    /** Readiness probes poll every 200 ms; one client serves them all. */
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    static boolean httpOk(String url) {
        try {
            return PROBE.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "pp-" + HexFormat.of().formatHex(b);
    }
}
