package io.proxplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    @Test
    void aTakenPortIsNamedWithItsOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            LocalOptions o = LocalOptions.parse(new String[] {"--ldaps-port", Integer.toString(port)}, Path.of("/tmp"));
            assertThat(PortCheck.free(port, false)).isFalse();
            assertThatThrownBy(() -> PortCheck.requireFree(PortCheck.wanted(o)))
                    .hasMessageContaining("port " + port + "/tcp on 127.0.0.1 (LDAP gateway (LDAPS)) is taken")
                    .hasMessageContaining("--ldaps-port N");
        }
    }

    @Test
    void aTakenUdpPortIsFoundToo() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            assertThat(PortCheck.free(port, true)).isFalse();
            assertThatThrownBy(() -> PortCheck.requireFree(List.of(new PortCheck.Wanted("--dns-port", "dnsmasq DNS", port, true))))
                    .hasMessageContaining("port " + port + "/udp").hasMessageContaining("--dns-port N");
        }
    }

    @Test
    void freePortsPass() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PortCheck.requireFree(List.of(new PortCheck.Wanted("--https-port", "nginx HTTPS", port, false)));
    }
}
