package io.proxplane.ldap;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import io.proxplane.ldap.auth.BindOutcome;
import io.proxplane.ldap.auth.BindThrottle;
import io.proxplane.ldap.server.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.proxplane.ldap.PagingAndHostileRequestsTest.code;
import static io.proxplane.ldap.TestDirectory.BASE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lockout judged per account and source address (issue item 11): guessing from one address
 * slows and then blocks that address's attempts on the account, never the account for everyone;
 * a container's lookup identity keeps working wherever it is used from.
 */
class LockoutTest {
    static final String ALICE = "uid=alice,ou=people," + BASE;
    static final String SERVICE = "uid=ct-104,ou=services," + BASE;

    static LDAPConnection from(String address, int port) throws Exception {
        return new LDAPConnection(new HostileTrafficTest.FixedSourceSocketFactory(address), "127.0.0.1", port);
    }

    @Test
    void guessingFromOneAddressLocksOnlyThatAddress() throws Exception {
        var policy = new BindThrottle.Policy(3, 100, Duration.ofMinutes(5), Duration.ofMinutes(5), 100, Duration.ZERO);
        try (var gw = new TestDirectory.Running(TestDirectory.standard(),
                GatewayConfig.defaults().withRequireTlsForBind(false), null, null, policy);
             LDAPConnection attacker = from("127.0.0.5", gw.port());
             LDAPConnection user = from("127.0.0.6", gw.port());
             LDAPConnection container = from("127.0.0.7", gw.port())) {
            for (int i = 0; i < 5; i++) {
                assertThat(code(() -> attacker.bind(ALICE, "guess"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
                assertThat(code(() -> attacker.bind(SERVICE, "guess"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            }
            // The attacker's address is locked out of both accounts, even with the right password...
            assertThat(code(() -> attacker.bind(ALICE, "alice-secret"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(gw.audit.getLast().outcome()).isEqualTo(BindOutcome.ACCOUNT_LOCKED);
            assertThat(code(() -> attacker.bind(SERVICE, "service-secret"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            // ...while the user and the container's lookup identity keep working from their own addresses.
            assertThat(user.bind(ALICE, "alice-secret").getResultCode()).isEqualTo(ResultCode.SUCCESS);
            assertThat(container.bind(SERVICE, "service-secret").getResultCode()).isEqualTo(ResultCode.SUCCESS);
        }
    }

    @Test
    void anAddressOverItsCeilingKeepsOnlyTheAccountsThatSucceededFromIt() throws Exception {
        var policy = new BindThrottle.Policy(5, 10, Duration.ofMinutes(5), Duration.ofMinutes(5), 100, Duration.ZERO);
        try (var gw = new TestDirectory.Running(TestDirectory.standard(),
                GatewayConfig.defaults().withRequireTlsForBind(false), null, null, policy);
             LDAPConnection shared = from("127.0.0.8", gw.port());
             LDAPConnection elsewhere = from("127.0.0.9", gw.port())) {
            // The container's lookup identity binds from the container's address...
            assertThat(shared.bind(SERVICE, "service-secret").getResultCode()).isEqualTo(ResultCode.SUCCESS);
            // ...then someone in the same container sprays guesses over many accounts.
            for (int i = 0; i < 10; i++) {
                int n = i;
                assertThat(code(() -> shared.bind("uid=user" + n + ",ou=people," + BASE, "guess")))
                        .isEqualTo(ResultCode.INVALID_CREDENTIALS);
            }
            // The address is blocked for accounts it never bound successfully (bob, right password)...
            assertThat(code(() -> shared.bind("uid=bob,ou=people," + BASE, "bob-secret"))).isEqualTo(ResultCode.INVALID_CREDENTIALS);
            assertThat(gw.audit.getLast().outcome()).isEqualTo(BindOutcome.RATE_LIMITED);
            // ...but the container's name service keeps working, and bob can log in from elsewhere.
            assertThat(shared.bind(SERVICE, "service-secret").getResultCode()).isEqualTo(ResultCode.SUCCESS);
            assertThat(elsewhere.bind("uid=bob,ou=people," + BASE, "bob-secret").getResultCode()).isEqualTo(ResultCode.SUCCESS);
        }
    }

    /** A settable clock for the throttle's own rules, so the test never waits. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-02-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void failuresSlowThePairThenLockItForTheLockoutOnly() {
        MutableClock clock = new MutableClock();
        var throttle = new BindThrottle(new BindThrottle.Policy(5, 50, Duration.ofMinutes(5), Duration.ofMinutes(5), 2,
                Duration.ofSeconds(1)), clock);
        String a = "uid=alice,ou=people," + BASE;
        assertThat(throttle.check(a, "10.0.0.1").delay()).isZero();
        throttle.failure(a, "10.0.0.1");
        throttle.failure(a, "10.0.0.1");
        // After two failures each further attempt from that address waits longer (1 s, 2 s, ...).
        assertThat(throttle.check(a, "10.0.0.1").delay()).isEqualTo(Duration.ofSeconds(1));
        throttle.failure(a, "10.0.0.1");
        assertThat(throttle.check(a, "10.0.0.1").delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.check(a, "10.0.0.2").delay()).as("another address is not slowed").isZero();
        throttle.failure(a, "10.0.0.1");
        throttle.failure(a, "10.0.0.1");
        assertThat(throttle.check(a, "10.0.0.1").kind()).isEqualTo(BindThrottle.Kind.ACCOUNT_LOCKED);
        assertThat(throttle.check(a, "10.0.0.2").kind()).isEqualTo(BindThrottle.Kind.ALLOWED);
        clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertThat(throttle.check(a, "10.0.0.1").kind()).as("the lock expires").isEqualTo(BindThrottle.Kind.ALLOWED);
        assertThat(throttle.check(a, "10.0.0.1").delay()).isZero();
    }

    @Test
    void sprayingKeysCannotGrowTheThrottleWithoutBound() {
        MutableClock clock = new MutableClock();
        var throttle = new BindThrottle(BindThrottle.Policy.DEFAULT, clock);
        for (int i = 0; i < 300_000; i++) throttle.failure("uid=u" + i + ",ou=people," + BASE, "10.1." + (i >> 8 & 255) + "." + (i & 255));
        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(2 * BindThrottle.MAX_TRACKED + 2);
    }
}
