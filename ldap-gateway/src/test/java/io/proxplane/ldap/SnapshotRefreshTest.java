package io.proxplane.ldap;

import io.proxplane.core.testing.PromtoolMetricsCheck;

import com.unboundid.ldap.sdk.LDAPConnection;
import io.proxplane.ldap.directory.DirectoryUser;
import io.proxplane.ldap.directory.InMemoryDirectorySource;
import io.proxplane.ldap.ops.OpsHttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.proxplane.ldap.TestDirectory.BASE;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotRefreshTest {
    @Test
    void changesAppearAfterNotificationAndOutagesKeepTheLastSnapshot() throws Exception {
        InMemoryDirectorySource source = TestDirectory.standard();
        try (var gw = new TestDirectory.Running(source);
             LDAPConnection c = new LDAPConnection("127.0.0.1", gw.port());
             var ops = new OpsHttpServer(new InetSocketAddress("127.0.0.1", 0), gw.meters, gw.gateway.refresher(),
                     Duration.ofMillis(200))) {
            c.bind("uid=ct-104,ou=services," + BASE, "service-secret");
            source.putUser(DirectoryUser.of("frank", 2010, 3001, TestDirectory.hash("frank-secret")));
            awaitCount(c, "(uid=frank)", 1);

            // Suspension takes effect through the change feed: the next bind fails.
            assertThat(c.bind("uid=alice,ou=people," + BASE, "alice-secret").getResultCode().intValue()).isZero();
            source.putUser(source.user("alice").withStatus(io.proxplane.ldap.directory.AccountStatus.SUSPENDED));
            // a hang guard of minutes, not a budget: the refresh comes when the machine gets to it
            for (long end = System.nanoTime() + 120_000_000_000L; System.nanoTime() < end && gw.gateway.refresher().get().user("alice").status().mayBind(); ) Thread.sleep(10);
            assertThat(PagingAndHostileRequestsTest.code(() -> c.bind("uid=alice,ou=people," + BASE, "alice-secret")).intValue())
                    .isEqualTo(49);
            c.bind("uid=ct-104,ou=services," + BASE, "service-secret");

            assertThat(get(ops, "/readyz").statusCode()).isEqualTo(200);
            source.setFailing(true);
            source.putUser(DirectoryUser.of("grace", 2011, 3001, null)); // notification, but the reload fails
            Thread.sleep(400);
            assertThat(c.search(BASE, com.unboundid.ldap.sdk.SearchScope.SUB, "(uid=frank)").getEntryCount())
                    .as("still served from the last good snapshot").isEqualTo(1);
            assertThat(gw.gateway.refresher().staleness()).isGreaterThan(Duration.ofMillis(300));
            // Stale replicas stay ready (all of them lose the registry at once), and say so.
            HttpResponse<String> stale = get(ops, "/readyz");
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.body()).startsWith("ready, stale:");
            String metrics = get(ops, "/metrics").body();
            assertThat(metrics).contains("# TYPE proxplane_ldap_snapshot_staleness_seconds gauge", "proxplane_ldap_snapshot_stale 1",
                    "proxplane_ldap_binds_total{outcome=\"success\"}", "proxplane_ldap_snapshot_users 6");
            PromtoolMetricsCheck.assertValid(metrics);
            assertThat(get(ops, "/healthz").statusCode()).isEqualTo(200);

            source.setFailing(false);
            gw.gateway.refresher().changed();
            awaitCount(c, "(uid=grace)", 1);
            assertThat(gw.gateway.refresher().staleness()).isEqualTo(Duration.ZERO);
            assertThat(get(ops, "/readyz").body()).startsWith("ready: ");
            assertThat(get(ops, "/metrics").body()).contains("proxplane_ldap_snapshot_stale 0");
        }
    }

    static void awaitCount(LDAPConnection c, String filter, int n) throws Exception {
        int got = -1;
        for (int i = 0; i < 200; i++) {
            got = c.search(BASE, com.unboundid.ldap.sdk.SearchScope.SUB, filter).getEntryCount();
            if (got == n) return;
            Thread.sleep(10);
        }
        assertThat(got).as(filter).isEqualTo(n);
    }

    static HttpResponse<String> get(OpsHttpServer ops, String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
