package io.proxplane.core.engine;

import io.proxplane.core.engine.EngineException.Kind;
import io.proxplane.core.model.ValidationException;
import io.proxplane.core.proxmox.error.AlreadyExistsException;
import io.proxplane.core.proxmox.error.LockedException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.error.PermissionDeniedException;
import io.proxplane.core.proxmox.error.TransientException;
import io.proxplane.core.registry.ConstraintViolationException;
import io.proxplane.core.registry.OwnershipConflictException;
import io.proxplane.core.registry.RegistryException;
import io.proxplane.core.registry.alloc.PortHeldException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one translation of everything core can fail with into the engine's error contract. Pure. */
class EngineErrorsTest {

    /** What PostgreSQL reports for a second container with the same host name in a site. */
    static ConstraintViolationException duplicateHostname() {
        SQLException sql = new SQLException("ERROR: duplicate key value violates unique constraint "
                + "\"containers_site_hostname_unique\"\n  Detail: Key (site_id, hostname)=(1, web) already exists.", "23505");
        return new ConstraintViolationException("containers_site_hostname_unique: already taken (ERROR: duplicate key value "
                + "violates unique constraint \"containers_site_hostname_unique\")", "containers_site_hostname_unique",
                ConstraintViolationException.Rule.UNIQUE, "containers", Map.of("site_id", "1", "hostname", "web"), sql);
    }

    static void noSql(String message) {
        assertThat(message).doesNotContainIgnoringCase("violates").doesNotContainIgnoringCase("constraint")
                .doesNotContainIgnoringCase("duplicate key").doesNotContain("ERROR:").doesNotContain("Key (")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void aDuplicateHostNameIsAConflictNamingTheValueWithoutSql() {
        EngineException e = EngineErrors.translate(duplicateHostname());
        assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(e.getMessage()).contains("host name 'web'").contains("site");
        noSql(e.getMessage());
        assertThat(e.userAction()).contains("hostname");
        assertThat(e.getCause()).isInstanceOf(ConstraintViolationException.class); // kept for the log
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void everyUniqueConstraintOfTheSchemaHasAHumanMessage() {
        for (var c : EngineErrors.UNIQUE.entrySet()) {
            EngineException e = EngineErrors.translate(new ConstraintViolationException("x: already taken (ERROR: duplicate key"
                    + " value violates unique constraint \"" + c.getKey() + "\")", c.getKey(),
                    ConstraintViolationException.Rule.UNIQUE, "t", Map.of(), null));
            assertThat(e.kind()).as(c.getKey()).isEqualTo(Kind.CONFLICT);
            noSql(e.getMessage());
        }
        // a rule the engine should have checked first still names a field, not the SQL
        EngineException check = EngineErrors.translate(new ConstraintViolationException("containers_image_format: violates a rule"
                + " (ERROR: new row for relation \"containers\" violates check constraint \"containers_image_format\")",
                "containers_image_format", ConstraintViolationException.Rule.CHECK, "containers", Map.of(), null));
        assertThat(check.kind()).isEqualTo(Kind.INVALID_SPEC);
        assertThat(check.field()).isEqualTo("image");
        noSql(check.getMessage());
        EngineException stillUsed = EngineErrors.translate(new ConstraintViolationException("x", "containers_site_id_fkey",
                ConstraintViolationException.Rule.STILL_REFERENCED, "sites", Map.of("id", "1"), null));
        assertThat(stillUsed.kind()).isEqualTo(Kind.IN_USE);
        noSql(stillUsed.getMessage());
    }

    @Test
    void validationBecomesInvalidSpecWithFieldAndReasonApart() {
        EngineException e = EngineErrors.translate(new ValidationException("env.FOO", "must not contain control characters"));
        assertThat(e.kind()).isEqualTo(Kind.INVALID_SPEC);
        assertThat(e.field()).isEqualTo("env.FOO");
        assertThat(e.reason()).isEqualTo("must not contain control characters");
        assertThat(e.getMessage()).startsWith("env.FOO: must not contain control characters");
        assertThat(EngineException.invalidSpec("entrypoint", "too long").field()).isEqualTo("entrypoint");
    }

    @Test
    void ownershipPortsAndQuotasKeepTheirNumbersAndHolders() {
        EngineException own = EngineErrors.translate(new OwnershipConflictException("container", "lab/web", "k8s:a/web", "terraform:prod"));
        assertThat(own.kind()).isEqualTo(Kind.OWNERSHIP);
        assertThat(own.holder()).isEqualTo("k8s:a/web");
        assertThat(own.userAction()).contains("k8s:a/web");
        EngineException port = EngineErrors.translate(new PortHeldException("tcp", 2222, "ssh", "web1", "lab"));
        assertThat(port.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(port.holder()).isEqualTo("service 'ssh' of container 'web1'");
        assertThat(port.getMessage()).contains("2222");
        QuotaExceededException q = new QuotaExceededException("web", "maxCores", 16, 3, 64);
        assertThat(EngineErrors.translate(q)).isSameAs(q);
        assertThat(q.kind()).isEqualTo(Kind.QUOTA);
        assertThat(EngineErrors.translate(new io.proxplane.core.registry.NotFoundException("site", "lab")).kind())
                .isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void registryOutagesAreRetryableAndShowNoDriverText() {
        RegistryException refused = new RegistryException("registry: Connection to 127.0.0.1:5432 refused.",
                new SQLException("Connection to 127.0.0.1:5432 refused.", "08001"));
        EngineException e = EngineErrors.translate(refused);
        assertThat(e.kind()).isEqualTo(Kind.REGISTRY_UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).isPresent();
        // HikariCP's pool timeout is not a RegistryException at all
        EngineException pool = EngineErrors.translate(new RuntimeException("pool init",
                new SQLTransientConnectionException("proxplane-registry - Connection is not available", "08003")));
        assertThat(pool.kind()).isEqualTo(Kind.REGISTRY_UNAVAILABLE);
        // contention that outlasted the registry's own retries
        assertThat(EngineErrors.translate(new RegistryException("gave up after 8 attempts: lost a race")).kind())
                .isEqualTo(Kind.REGISTRY_UNAVAILABLE);
    }

    @Test
    void proxmoxOutcomesStayQueryableBehindTheKind() {
        NotFoundException gone = new NotFoundException("GET", "/nodes/pve1/lxc/101/status/current", 500,
                "Configuration file 'nodes/pve1/lxc/101.conf' does not exist");
        EngineException e = ProxmoxErrors.map("status of lxc/101", gone);
        assertThat(e.kind()).isEqualTo(Kind.PROXMOX_ERROR);
        assertThat(e.proxmoxCause(NotFoundException.class)).containsSame(gone);
        assertThat(e.proxmoxCause(AlreadyExistsException.class)).isEmpty();
        assertThat(ProxmoxErrors.isNotFound(e)).isTrue();
        assertThat(ProxmoxErrors.isAlreadyExists(e)).isFalse();
        // the same through the guard the convergers use, and through a wrapper around the mapped error
        assertThatThrownBy(() -> EngineErrors.guard(() -> { throw gone; }))
                .isInstanceOfSatisfying(EngineException.class, x -> assertThat(ProxmoxErrors.isNotFound(x)).isTrue());
        EngineException wrapped = new EngineException(Kind.PROXMOX_UNAVAILABLE, "apply again", null, e);
        assertThat(ProxmoxErrors.isNotFound(wrapped)).isTrue();

        AlreadyExistsException twice = new AlreadyExistsException("POST", "/nodes/pve1/lxc", 500, "CT 101 already exists on node 'pve1'");
        EngineException a = EngineErrors.translate(twice);
        assertThat(a.kind()).isEqualTo(Kind.PROXMOX_ERROR);
        assertThat(ProxmoxErrors.isAlreadyExists(a)).isTrue();
        assertThat(ProxmoxErrors.isNotFound(a)).isFalse();

        assertThat(EngineErrors.translate(new LockedException("PUT", "/x", 500, "CT is locked (backup)",
                LockedException.Kind.CONFIG_LOCK, "backup")).kind()).isEqualTo(Kind.PROXMOX_LOCKED);
        assertThat(EngineErrors.translate(new PermissionDeniedException("GET", "/x", 403, "Permission check failed", "/vms/1",
                "VM.Audit")).kind()).isEqualTo(Kind.PROXMOX_PERMISSION);
        assertThat(EngineErrors.translate(new TransientException("GET", "/x", 503, "down", false, null)).retryable()).isTrue();
    }

    @Test
    void unexpectedFailuresAreInternalWithoutAStackTraceInTheMessage() {
        EngineException e = EngineErrors.translate(new IllegalStateException("bug"));
        assertThat(e.kind()).isEqualTo(Kind.INTERNAL);
        assertThat(e.getMessage()).contains("bug").doesNotContain("\tat ");
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyKindSaysWhetherWaitingHelps() {
        for (Kind k : Kind.values()) {
            EngineException e = new EngineException(k, "m", null);
            assertThat(e.retryAfter().isPresent()).as(k.name()).isEqualTo(e.retryable());
            e.retryAfter().ifPresent(d -> assertThat(d).isGreaterThan(Duration.ZERO));
        }
        assertThat(Kind.PROXMOX_LOCKED.retryable()).isTrue();
        assertThat(Kind.PROXMOX_UNAVAILABLE.retryable()).isTrue();
        assertThat(Kind.REGISTRY_UNAVAILABLE.retryable()).isTrue();
        assertThat(Kind.INVALID_SPEC.retryable()).isFalse();
        assertThat(Kind.QUOTA.retryable()).isFalse();
    }
}
