package io.proxplane.core.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.edge.DnsmasqSettings.DhcpPorts;
import io.proxplane.core.model.ConfigPath;
import io.proxplane.core.model.Port;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real dnsmasq on a loopback high port with a rendered config and queries it with dig. */
class DnsmasqIntegrationTest {

    @TempDir
    static Path dir;

    static Path dnsmasq;
    static Path dig;
    static Path config;
    static Process process;
    static int dnsPort;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        dnsmasq = EdgeBinaries.require("dnsmasq");
        dig = EdgeBinaries.require("dig");
        dnsPort = freePortForTcpAndUdp();
        int dhcpServer = TestServers.freeUdpPort();
        int dhcpClient = TestServers.freeUdpPort();
        DnsmasqSettings settings = new DnsmasqSettings(Optional.of(EdgeFixtures.ip("127.0.0.1")), new Port(dnsPort), true,
                Optional.of(new DhcpPorts(new Port(dhcpServer), new Port(dhcpClient))),
                Optional.of(ConfigPath.of("leaseFile", dir.resolve("dnsmasq.leases").toString())));
        config = dir.resolve("dnsmasq.conf");
        Files.writeString(config, DnsmasqRenderer.render(EdgeFixtures.sample(9), settings));

        EdgeBinaries.Result test = EdgeBinaries.run(List.of(dnsmasq.toString(), "--test", "--conf-file=" + config), 30);
        assertThat(test.exitCode()).as("dnsmasq --test output:\n%s", test.output()).isZero();
        assertThat(test.output()).contains("syntax check OK");

        List<String> command = new ArrayList<>(List.of(dnsmasq.toString(), "--keep-in-foreground", "--conf-file=" + config,
                "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-facility=" + dir.resolve("dnsmasq.log")));
        if (EdgeBinaries.runningAsRoot()) {
            command.add("--user=root");
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq-console.log").toFile()).start();
        waitUntilAnswering();
    }

    /** dnsmasq serves DNS on TCP and UDP: find a port free for both. */
    static int freePortForTcpAndUdp() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = TestServers.freeTcpPort();
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(TestServers.LOOPBACK, port))) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }

    static void waitUntilAnswering() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("dnsmasq exited with " + process.exitValue() + ":\n" + logs());
            }
            if (!dig("pve1.cluster.test.internal", "A").isBlank()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("dnsmasq did not answer on port " + dnsPort + ":\n" + logs());
    }

    static String logs() throws IOException {
        StringBuilder out = new StringBuilder();
        for (Path log : List.of(dir.resolve("dnsmasq-console.log"), dir.resolve("dnsmasq.log"))) {
            if (Files.exists(log)) {
                out.append("--- ").append(log).append('\n').append(Files.readString(log));
            }
        }
        return out.toString();
    }

    static String dig(String name, String type) {
        EdgeBinaries.Result result = EdgeBinaries.run(List.of(dig.toString(), "@127.0.0.1", "-p", Integer.toString(dnsPort),
                "+short", "+time=1", "+tries=1", name, type), 20);
        return result.exitCode() == 0 ? result.output().trim() : "";
    }

    static String digStatus(String name, String type) {
        EdgeBinaries.Result result = EdgeBinaries.run(List.of(dig.toString(), "@127.0.0.1", "-p", Integer.toString(dnsPort),
                "+time=1", "+tries=1", name, type), 20);
        return result.output();
    }

    @AfterAll
    static void stopDnsmasq() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void answersARecordsForContainersAndNodes() {
        assertThat(dig("web.cluster.test.internal", "A")).isEqualTo("10.15.0.23");
        assertThat(dig("ldap1.cluster.test.internal", "A")).isEqualTo("10.15.0.30");
        assertThat(dig("pve2.cluster.test.internal", "A")).isEqualTo("10.15.0.3");
    }

    @Test
    void answersReverseLookupsForContainers() {
        assertThat(dig("23.0.15.10.in-addr.arpa", "PTR")).isEqualTo("web.cluster.test.internal.");
    }

    @Test
    void answersSrvRecordsForServices() {
        assertThat(dig("_ldaps._tcp.cluster.test.internal", "SRV")).isEqualTo("0 0 636 ldap1.cluster.test.internal.");
    }

    @Test
    void unknownNamesInTheInternalDomainAreNxdomainNotForwarded() {
        assertThat(digStatus("nothing.cluster.test.internal", "A")).contains("status: NXDOMAIN");
    }

    @Test
    void aBrokenConfigIsRejectedByDnsmasqTest() throws Exception {
        Path broken = dir.resolve("broken.conf");
        Files.writeString(broken, "dhcp-range=not-an-address,10.0.0.9\n");
        EdgeBinaries.Result result = EdgeBinaries.run(List.of(dnsmasq.toString(), "--test", "--conf-file=" + broken), 30);
        assertThat(result.exitCode()).isNotZero();
    }
}
