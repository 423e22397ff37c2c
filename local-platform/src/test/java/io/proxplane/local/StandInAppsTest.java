package io.proxplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stand-ins follow what the registry holds: started for new services, stopped for removed ones. */
class StandInAppsTest {

    private static int freePort(String ip) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
            return s.getLocalPort();
        }
    }

    @Test
    void servicesAddedLaterGetAStandInAndRemovedOnesLoseIt() throws Exception {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        try (StandInApps apps = new StandInApps(quiet)) {
            assertThat(apps.sync(List.of(), true)).isZero();
            int web = freePort("127.77.9.10");
            int tcp = freePort("127.77.9.11");
            List<StandInApps.Wanted> now = List.of(
                    new StandInApps.Wanted("lab/web1/https", "http", "web1", "127.77.9.10", web),
                    new StandInApps.Wanted("lab/db1/pg", "tcp", "db1", "127.77.9.11", tcp),
                    new StandInApps.Wanted("lab/dns1/srv", "dns_srv", "dns1", "127.77.9.12", null),
                    new StandInApps.Wanted("lab/real/https", "http", "real", "10.0.0.5", 80));
            assertThat(apps.sync(now, true)).isEqualTo(2);
            assertThat(apps.count()).isEqualTo(2);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.77.9.10:" + web + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).startsWith("hello from web1");
            try (Socket s = new Socket("127.77.9.11", tcp)) {
                s.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
                s.shutdownOutput();
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ping\n");
            }
            // the same again: nothing to do
            assertThat(apps.sync(now, true)).isZero();
            // the HTTP service is gone: its stand-in stops
            assertThat(apps.sync(now.subList(1, now.size()), true)).isEqualTo(1);
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.77.9.10", web), 5_000))
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }
}
