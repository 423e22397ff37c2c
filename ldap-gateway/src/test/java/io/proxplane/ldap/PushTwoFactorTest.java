package io.proxplane.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import io.proxplane.ldap.auth.BindOutcome;
import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.push.HttpPushNotifier;
import io.proxplane.ldap.push.PushCoordinator;
import io.proxplane.ldap.server.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static io.proxplane.ldap.TestDirectory.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Push 2FA against a local fake of the notification service contract. */
class PushTwoFactorTest {
    static final String DAVE = "uid=dave,ou=people," + BASE;

    record Setup(FakePushService push, PushCoordinator coordinator, TestDirectory.Running gw) implements AutoCloseable {
        public void close() {
            gw.close();
            push.close();
        }
    }

    static Setup setup(Duration serviceWait, Duration gatewayWait, Duration window) throws Exception {
        FakePushService push = new FakePushService(serviceWait);
        PushCoordinator coordinator = new PushCoordinator(new HttpPushNotifier(push.url(), null, null,
                gatewayWait.plusSeconds(2)), gatewayWait, window, Clock.systemUTC());
        var gw = new TestDirectory.Running(TestDirectory.standard(), GatewayConfig.defaults().withRequireTlsForBind(false),
                null, coordinator, BindThrottle.Policy.DEFAULT);
        return new Setup(push, coordinator, gw);
    }

    static CompletableFuture<ResultCode> bindAsync(Setup s, String dn, String password) {
        return CompletableFuture.supplyAsync(() -> {
            try (LDAPConnection c = new LDAPConnection("127.0.0.1", s.gw().port())) {
                return c.bind(dn, password).getResultCode();
            } catch (LDAPException e) {
                return e.getResultCode();
            }
        }, r -> Thread.ofPlatform().daemon().start(r)); // the common pool may have one thread on 2 cores
    }

    /**
     * Waits stand in for the phone and the user; they are hang guards of minutes, never verdicts,
     * so that a loaded machine only makes these tests slower.
     */
    static final Duration PATIENCE = Duration.ofMinutes(2);
    /** Gateway and service bounds the tests never reach: the test's phone answers long before. */
    static final Duration GATEWAY_WAIT = Duration.ofMinutes(5);
    static final Duration SERVICE_WAIT = Duration.ofMinutes(10);

    static void awaitRequests(FakePushService push, int n) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (push.requests.size() < n && System.nanoTime() < deadline) Thread.sleep(25);
        assertThat(push.requests).hasSize(n);
    }

    @Test
    void approvedPushLetsTheBindThroughAndRetriesJoinThePendingPush() throws Exception {
        try (Setup s = setup(SERVICE_WAIT, GATEWAY_WAIT, Duration.ofSeconds(60))) {
            CompletableFuture<ResultCode> first = bindAsync(s, DAVE, "dave-secret");
            awaitRequests(s.push(), 1);
            // SSSD gives up on a held bind and retries on a new connection: it must not cause a second push.
            CompletableFuture<ResultCode> retry = bindAsync(s, DAVE, "dave-secret");
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (s.coordinator().waiting() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(s.coordinator().waiting()).isEqualTo(2);
            assertThat(first).isNotDone();
            s.push().answer("dave", "approve");
            assertThat(first.get()).isEqualTo(ResultCode.SUCCESS);
            assertThat(retry.get()).isEqualTo(ResultCode.SUCCESS);
            assertThat(s.push().requests).hasSize(1);
            var request = s.push().requests.getFirst();
            assertThat(request.get("username").asText()).isEqualTo("dave");
            assertThat(request.get("title").asText()).isEqualTo("SSH Authentication Request");
            assertThat(request.get("actions")).extracting(a -> a.get("callback").asText()).containsExactly("approve", "reject");
            assertThat(s.gw().audit).anySatisfy(a -> assertThat(a.reason()).isEqualTo("password + joined pending push"));

            // A password change binds twice: within the approval window no second push is sent.
            assertThat(bindAsync(s, DAVE, "dave-secret").get()).isEqualTo(ResultCode.SUCCESS);
            assertThat(s.push().requests).hasSize(1);
            assertThat(s.gw().audit.getLast().reason()).isEqualTo("password + recent approval");
        }
    }

    @Test
    void rejectedPushFailsWith49AndWrongPasswordNeverPushes() throws Exception {
        try (Setup s = setup(SERVICE_WAIT, GATEWAY_WAIT, Duration.ZERO)) {
            assertThat(bindAsync(s, DAVE, "wrong-password").get()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(s.push().requests).isEmpty();
            CompletableFuture<ResultCode> bind = bindAsync(s, DAVE, "dave-secret");
            s.push().answer("dave", "reject");
            assertThat(bind.get()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(s.gw().audit.getLast().outcome()).isEqualTo(BindOutcome.SECOND_FACTOR_REJECTED);
            // Users without 2FA are never pushed.
            assertThat(bindAsync(s, "uid=alice,ou=people," + BASE, "alice-secret").get()).isEqualTo(ResultCode.SUCCESS);
            assertThat(s.push().requests).hasSize(1);
        }
    }

    @Test
    void unansweredPushTimesOutWithinTheGatewaysBound() throws Exception {
        // The service would hold the push for 10 minutes; the gateway waits at most 1 s. That the
        // gateway gave up on its own bound shows as the service not having answered when the bind
        // fails (the push may not even have arrived yet on a loaded machine; no stopwatch either).
        try (Setup s = setup(SERVICE_WAIT, Duration.ofSeconds(1), Duration.ZERO)) {
            LDAPException e = assertThrows(LDAPException.class, () -> {
                try (LDAPConnection c = new LDAPConnection("127.0.0.1", s.gw().port())) {
                    c.bind(DAVE, "dave-secret");
                }
            });
            assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(e.getDiagnosticMessage()).isEqualTo("second factor timed out");
            assertThat(s.push().answered).as("answers the service sent").doesNotContain("dave");
            assertThat(s.gw().audit.getLast().outcome()).isEqualTo(BindOutcome.SECOND_FACTOR_TIMEOUT);
            if (s.push().isPending("dave")) {
                s.push().answer("dave", "approve"); // let the held HTTP call finish
            }
        }
    }

    @Test
    void serviceTimeoutAnswerAndUnknownDeviceFailClosed() throws Exception {
        // the service answers "timeout" after 300 ms; the gateway's own bound is far away
        try (Setup s = setup(Duration.ofMillis(300), GATEWAY_WAIT, Duration.ZERO)) {
            LDAPException timeout = assertThrows(LDAPException.class, () -> {
                try (LDAPConnection c = new LDAPConnection("127.0.0.1", s.gw().port())) {
                    c.bind(DAVE, "dave-secret");
                }
            });
            assertThat(timeout.getDiagnosticMessage()).isEqualTo("second factor timed out");
            s.push().unknownUsers.add("dave");
            LDAPException noDevice = assertThrows(LDAPException.class, () -> {
                try (LDAPConnection c = new LDAPConnection("127.0.0.1", s.gw().port())) {
                    c.bind(DAVE, "dave-secret");
                }
            });
            assertThat(noDevice.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(noDevice.getDiagnosticMessage()).isEqualTo("second factor unavailable");
        }
    }
}
