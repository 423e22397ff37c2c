package io.proxplane.ldap.auth;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.proxplane.ldap.directory.DirectorySnapshot;
import io.proxplane.ldap.directory.DirectoryUser;
import io.proxplane.ldap.directory.SecondFactor;
import io.proxplane.ldap.directory.ServiceAccount;
import io.proxplane.ldap.push.PushCoordinator;

import java.time.Clock;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Simple-bind policy: the password is checked first (unknown, suspended and pending accounts are
 * checked against a decoy hash of the same cost and all fail with 49), then the second factor, then
 * the result is audited. Lockout and address limits apply before any hashing.
 */
public final class Authenticator {
    public static final String INVALID_CREDENTIALS = "invalid credentials";

    private final Supplier<DirectorySnapshot> snapshots;
    private final PasswordHashes hashes;
    private final BindThrottle throttle;
    private final PushCoordinator push;
    private final BindAuditor auditor;
    private final MeterRegistry meters;
    private final Clock clock;

    public Authenticator(Supplier<DirectorySnapshot> snapshots, PasswordHashes hashes, BindThrottle throttle,
                         PushCoordinator push, BindAuditor auditor, MeterRegistry meters, Clock clock) {
        this.snapshots = snapshots;
        this.hashes = hashes;
        this.throttle = throttle;
        this.push = push;
        this.auditor = auditor;
        this.meters = meters;
        this.clock = clock;
    }

    public sealed interface Result {
        record Success(Principal principal) implements Result {
        }

        record Failure(ResultCode code, String message) implements Result {
        }
    }

    public Result bind(String bindDn, byte[] password, String clientAddress, long connectionId) {
        Timer.Sample sample = Timer.start(meters);
        Outcome o = decide(bindDn, password, clientAddress);
        sample.stop(meters.timer("ldap.bind.duration", "outcome", o.outcome.name().toLowerCase(Locale.ROOT)));
        meters.counter("ldap.binds", "outcome", o.outcome.name().toLowerCase(Locale.ROOT)).increment();
        auditor.record(new BindAuditEvent(clock.instant(), bindDn, o.principalName, clientAddress, connectionId,
                o.outcome, o.reason, o.scheme));
        return o.result;
    }

    private record Outcome(Result result, BindOutcome outcome, String principalName, String reason, String scheme) {
    }

    private static Outcome fail(BindOutcome outcome, String name, String reason, String scheme) {
        return new Outcome(new Result.Failure(ResultCode.INVALID_CREDENTIALS, INVALID_CREDENTIALS), outcome, name, reason, scheme);
    }

    private Outcome decide(String bindDn, byte[] password, String address) {
        if (bindDn.isEmpty()) {
            if (password.length == 0) {
                return new Outcome(new Result.Success(Principal.ANONYMOUS), BindOutcome.ANONYMOUS, "", "anonymous", "none");
            }
            return fail(BindOutcome.INVALID_CREDENTIALS, "", "password without a DN", "none");
        }
        if (password.length == 0) {
            // RFC 4513 5.1.2: an "unauthenticated" bind must not be mistaken for a successful authentication.
            return new Outcome(new Result.Failure(ResultCode.UNWILLING_TO_PERFORM,
                    "unauthenticated bind (DN without password) is not allowed"), BindOutcome.UNWILLING, "", "empty password", "none");
        }
        DN dn;
        try {
            dn = new DN(bindDn);
        } catch (LDAPException e) {
            return new Outcome(new Result.Failure(ResultCode.INVALID_DN_SYNTAX, "invalid bind DN: " + e.getMessage()),
                    BindOutcome.INVALID_DN, "", "unparseable DN", "none");
        }
        String accountKey = dn.toNormalizedString();
        BindThrottle.Verdict verdict = throttle.check(accountKey, address);
        switch (verdict.kind()) {
            case ACCOUNT_LOCKED -> {
                return fail(BindOutcome.ACCOUNT_LOCKED, accountKey, "locked for this client address after repeated failures", "none");
            }
            case ADDRESS_LIMITED -> {
                return fail(BindOutcome.RATE_LIMITED, accountKey, "client address over its failure limit", "none");
            }
            case ALLOWED -> {
                if (!verdict.delay().isZero()) {
                    // Slows guessing from this address only; the wait holds just this connection's thread.
                    try {
                        Thread.sleep(verdict.delay());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return fail(BindOutcome.RATE_LIMITED, accountKey, "interrupted while slowed", "none");
                    }
                }
            }
        }
        DirectorySnapshot snapshot = snapshots.get();
        DirectoryUser user = null;
        ServiceAccount service = null;
        String name = rdnValue(dn, "uid");
        if (name != null && dn.getParent() != null) {
            if (dn.getParent().equals(snapshot.layout().people())) user = snapshot.user(name);
            else if (dn.getParent().equals(snapshot.layout().services())) service = snapshot.serviceAccount(name);
        }
        String stored = user != null ? user.passwordHash() : service != null ? service.passwordHash() : null;
        String scheme = PasswordHashes.scheme(stored);
        // Always pay for one hash, so unknown and disabled accounts are not distinguishable by timing.
        boolean matches = PasswordHashes.verify(stored != null ? stored : hashes.decoyHash(), password) && stored != null;
        String reason = null;
        if (user == null && service == null) reason = "unknown account";
        else if (stored == null) reason = "account has no password";
        else if (!matches) reason = "wrong password";
        else if (user != null && !user.status().mayBind()) reason = "account " + user.status().name().toLowerCase(Locale.ROOT);
        if (reason != null) {
            throttle.failure(accountKey, address);
            return fail(BindOutcome.INVALID_CREDENTIALS, accountKey, reason, scheme);
        }
        if (service != null) {
            throttle.success(accountKey, address);
            return new Outcome(new Result.Success(new Principal(dn, Principal.Kind.SERVICE, service.name())),
                    BindOutcome.SUCCESS, service.name(), "password", scheme);
        }
        if (user.secondFactor() == SecondFactor.PUSH) {
            if (push == null) {
                return new Outcome(new Result.Failure(ResultCode.INVALID_CREDENTIALS,
                        "second factor required but no push service is configured"),
                        BindOutcome.SECOND_FACTOR_FAILED, user.uid(), "push not configured", scheme);
            }
            PushCoordinator.Result r = push.await(user.uid(), address);
            String how = r.fromApprovalWindow() ? "recent approval" : r.joined() ? "joined pending push" : "push";
            switch (r.outcome()) {
                case APPROVED -> {
                }
                case REJECTED -> {
                    return new Outcome(new Result.Failure(ResultCode.INVALID_CREDENTIALS, "second factor rejected"),
                            BindOutcome.SECOND_FACTOR_REJECTED, user.uid(), how + " rejected", scheme);
                }
                case TIMEOUT -> {
                    return new Outcome(new Result.Failure(ResultCode.INVALID_CREDENTIALS, "second factor timed out"),
                            BindOutcome.SECOND_FACTOR_TIMEOUT, user.uid(), how + " timed out", scheme);
                }
                case FAILED -> {
                    return new Outcome(new Result.Failure(ResultCode.INVALID_CREDENTIALS, "second factor unavailable"),
                            BindOutcome.SECOND_FACTOR_FAILED, user.uid(), how + " failed", scheme);
                }
            }
            throttle.success(accountKey, address);
            return new Outcome(new Result.Success(new Principal(dn, Principal.Kind.USER, user.uid())),
                    BindOutcome.SUCCESS, user.uid(), "password + " + how, scheme);
        }
        throttle.success(accountKey, address);
        return new Outcome(new Result.Success(new Principal(dn, Principal.Kind.USER, user.uid())),
                BindOutcome.SUCCESS, user.uid(), "password", scheme);
    }

    /** The value of a single-valued RDN of the given type, lower-cased (uids are case-insensitive); else null. */
    static String rdnValue(DN dn, String type) {
        RDN rdn = dn.getRDN();
        if (rdn == null || rdn.isMultiValued() || !rdn.hasAttribute(type)) return null;
        return rdn.getAttributeValues()[0].toLowerCase(Locale.ROOT);
    }

    /** Re-checks a user's current password (Password Modify with oldPasswd). */
    public boolean passwordMatches(String uid, byte[] password) {
        DirectoryUser user = snapshots.get().user(uid);
        return user != null && user.passwordHash() != null && PasswordHashes.verify(user.passwordHash(), password);
    }

    public PasswordHashes hashes() {
        return hashes;
    }
}
