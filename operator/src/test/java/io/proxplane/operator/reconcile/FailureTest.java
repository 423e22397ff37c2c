package io.proxplane.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.proxplane.core.engine.EngineException;
import io.proxplane.core.engine.QuotaExceededException;
import io.proxplane.core.registry.RegistryException;
import io.proxplane.operator.mapping.InvalidSpecException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FailureTest {
    static final Duration CAP = Duration.ofMinutes(5);
    static final Duration SLOW = Duration.ofMinutes(5);

    @Test
    void reasonsFollowTheEngineKindAndRetryOnlyWhereWaitingHelps() {
        Failure down = Failure.of(new EngineException(EngineException.Kind.PROXMOX_UNAVAILABLE, "read /cluster/resources: 503", "wait"));
        assertThat(down.reason()).isEqualTo("ProxmoxUnavailable");
        assertThat(down.message()).contains("503").contains("wait");
        assertThat(down.after(1, CAP, SLOW)).contains(Duration.ofSeconds(2));
        assertThat(down.after(3, CAP, SLOW)).contains(Duration.ofSeconds(8));
        assertThat(down.after(30, CAP, SLOW)).contains(CAP);

        Failure quota = Failure.of(new QuotaExceededException("web", "maxCores", 16, 3, 64));
        assertThat(quota.reason()).isEqualTo("QuotaExceeded");
        assertThat(quota.message()).contains("maxCores is 16");
        assertThat(quota.after(1, CAP, SLOW)).contains(SLOW);

        Failure bad = Failure.of(new InvalidSpecException("spec.memoryMb", "must be between 16 and 16777216, got 8"));
        assertThat(bad.reason()).isEqualTo("InvalidSpec");
        assertThat(bad.message()).isEqualTo("spec.memoryMb: must be between 16 and 16777216, got 8");
        assertThat(bad.after(1, CAP, SLOW)).isEmpty();

        // Cut short by a shutdown: retried soon by whoever leads next.
        Failure cancelled = Failure.of(new EngineException(EngineException.Kind.CANCELLED,
                "create lxc/105: interrupted by the operator shutting down", "the next apply resumes or rolls back"));
        assertThat(cancelled.reason()).isEqualTo("Cancelled");
        assertThat(cancelled.after(1, CAP, SLOW)).contains(Duration.ofSeconds(2));

        assertThat(Failure.of(new MissingSecretException("x")).reason()).isEqualTo("SecretNotFound");
        assertThat(Failure.of(new MissingReferenceException("x")).reason()).isEqualTo("DependencyNotFound");
        assertThat(Failure.of(new RegistryException("connection refused")).reason()).isEqualTo("RegistryUnavailable");
        assertThat(Failure.of(new IllegalStateException("bug")).reason()).isEqualTo("InternalError");
        for (EngineException.Kind k : EngineException.Kind.values()) {
            assertThat(Failure.of(new EngineException(k, "m", null)).reason()).as(k.name()).isNotBlank();
        }
    }

    @Test
    void everyEngineKindHasOneRowInTheTable() {
        for (EngineException.Kind k : EngineException.Kind.values()) {
            assertThat(Failure.BY_KIND).as(k.name()).containsKey(k);
            Failure f = Failure.of(new EngineException(k, "m", null));
            assertThat(f.reason()).as(k.name()).isEqualTo(Failure.BY_KIND.get(k).reason()).isNotBlank();
            // what waiting alone can fix is retried with back-off, never left to a spec change
            if (k.retryable()) assertThat(f.retry()).as(k.name()).isEqualTo(Failure.Retry.BACKOFF);
        }
        assertThat(Failure.BY_KIND.values().stream().map(Failure.Rule::reason).distinct().count())
                .isEqualTo(EngineException.Kind.values().length);
    }

    @Test
    void engineRefusalsNameTheCustomResourceFieldAndNeverShowSql() {
        Failure env = Failure.of(EngineException.invalidSpec("env.GREETING", "must be one line without control characters"));
        assertThat(env.reason()).isEqualTo("InvalidSpec");
        assertThat(env.message()).isEqualTo("spec.env.GREETING: must be one line without control characters");
        assertThat(env.after(1, CAP, SLOW)).isEmpty();
        // a registry refusal that reaches the operator unwrapped goes through core's one translation
        Failure taken = Failure.of(new io.proxplane.core.registry.ConstraintViolationException(
                "containers_site_hostname_unique: already taken (ERROR: duplicate key value violates unique constraint)",
                "containers_site_hostname_unique", io.proxplane.core.registry.ConstraintViolationException.Rule.UNIQUE,
                "containers", java.util.Map.of("site_id", "1", "hostname", "web"), null));
        assertThat(taken.reason()).isEqualTo("Conflict");
        assertThat(taken.message()).contains("host name 'web'").doesNotContain("constraint").doesNotContain("ERROR:");
        Failure locked = Failure.of(new io.proxplane.core.proxmox.error.LockedException("PUT", "/x", 500, "CT is locked (backup)",
                io.proxplane.core.proxmox.error.LockedException.Kind.CONFIG_LOCK, "backup"));
        assertThat(locked.reason()).isEqualTo("ProxmoxLocked");
        assertThat(locked.retry()).isEqualTo(Failure.Retry.BACKOFF);
    }

    @Test
    void transitionTimeMovesOnlyWhenTheStatusFlips() {
        Clock t1 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        Clock t2 = Clock.fixed(Instant.parse("2026-01-01T01:00:00Z"), ZoneOffset.UTC);
        List<Condition> down = Conditions.set(null, "Ready", false, "ProxmoxUnavailable", "a", 1L, t1);
        List<Condition> stillDown = Conditions.set(down, "Ready", false, "ProxmoxLocked", "b", 2L, t2);
        assertThat(stillDown).hasSize(1);
        assertThat(stillDown.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(stillDown.get(0).getReason()).isEqualTo("ProxmoxLocked");
        assertThat(stillDown.get(0).getObservedGeneration()).isEqualTo(2L);
        List<Condition> up = Conditions.set(stillDown, "Ready", true, "Reconciled", "ok", 2L, t2);
        assertThat(up.get(0).getLastTransitionTime()).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(Conditions.set(up, "Ready", true, "Reconciled", "x".repeat(10_000), 2L, t2).get(0).getMessage())
                .hasSizeLessThanOrEqualTo(Conditions.MAX_MESSAGE).endsWith("...");
    }
}
