package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.core.proxmox.error.AlreadyExistsException;
import io.proxplane.core.proxmox.error.ApiErrorException;
import io.proxplane.core.proxmox.error.AuthenticationFailedException;
import io.proxplane.core.proxmox.error.ConfigurationChangedException;
import io.proxplane.core.proxmox.error.ErrorClassifier;
import io.proxplane.core.proxmox.error.InvalidParametersException;
import io.proxplane.core.proxmox.error.LockedException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.error.PermissionDeniedException;
import io.proxplane.core.proxmox.error.ProxmoxException;
import io.proxplane.core.proxmox.error.TransientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorClassifierTest {

    private static ProxmoxException classify(int status, String message) {
        String body = "{\"data\":null,\"message\":\"" + message + "\\n\"}";
        return ErrorClassifier.classify("PUT", "/nodes/pve/lxc/100/config", status, message, body);
    }

    @Test
    void notFoundFromMissingConfigUserAndPool() {
        assertThat(classify(500, "Configuration file 'nodes/pve/lxc/100.conf' does not exist"))
                .isInstanceOf(NotFoundException.class);
        assertThat(classify(500, "no such user ('x@pve')")).isInstanceOf(NotFoundException.class);
        assertThat(classify(500, "pool 'x' does not exist")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void configLockCarriesLockName() {
        ProxmoxException e = classify(500, "CT is locked (backup)");
        assertThat(e).isInstanceOfSatisfying(LockedException.class, l -> {
            assertThat(l.kind()).isEqualTo(LockedException.Kind.CONFIG_LOCK);
            assertThat(l.lock()).isEqualTo("backup");
        });
    }

    @Test
    void flockTimeoutIsLocked() {
        ProxmoxException e = classify(500, "can't lock file '/run/lock/lxc/pve-config-100.lock' - got timeout");
        assertThat(e).isInstanceOfSatisfying(LockedException.class, l -> {
            assertThat(l.kind()).isEqualTo(LockedException.Kind.FILE_LOCK_TIMEOUT);
            assertThat(l.lock()).isEqualTo("/run/lock/lxc/pve-config-100.lock");
        });
    }

    @Test
    void alreadyExistsDigestAndGenericErrors() {
        assertThat(classify(500, "CT 100 already exists on node 'pve'")).isInstanceOf(AlreadyExistsException.class);
        assertThat(classify(500, "unable to create CT 100 - CT 100 already exists on node 'pve'"))
                .isInstanceOf(AlreadyExistsException.class);
        assertThat(classify(500, "create pool failed: pool 'x' already exists")).isInstanceOf(AlreadyExistsException.class);
        assertThat(classify(500, "detected modified configuration - file changed by other user? Try again."))
                .isInstanceOf(ConfigurationChangedException.class);
        assertThat(classify(500, "CT 100 already running")).isInstanceOf(ApiErrorException.class);
        assertThat(classify(501, "Method 'GET /nodes/pve/foo' not implemented")).isInstanceOf(ApiErrorException.class);
    }

    @Test
    void permissionDeniedParsesPathAndPrivilege() {
        ProxmoxException e = classify(403, "Permission check failed (/vms/100, VM.Allocate)");
        assertThat(e).isInstanceOfSatisfying(PermissionDeniedException.class, p -> {
            assertThat(p.permissionPath()).isEqualTo("/vms/100");
            assertThat(p.privilege()).isEqualTo("VM.Allocate");
            assertThat(p.httpStatus()).isEqualTo(403);
        });
        assertThat(classify(403, "Permission check failed (/storage/local, Datastore.Audit|Datastore.AllocateSpace)"))
                .isInstanceOfSatisfying(PermissionDeniedException.class,
                        p -> assertThat(p.privilege()).isEqualTo("Datastore.Audit|Datastore.AllocateSpace"));
        assertThat(classify(403, "Permission check failed (user != root@pam)"))
                .isInstanceOfSatisfying(PermissionDeniedException.class, p -> {
                    assertThat(p.permissionPath()).isNull();
                    assertThat(p.privilege()).isNull();
                });
    }

    @Test
    void authenticationFailed() {
        assertThat(classify(401, "Authentication failed!")).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void invalidParametersCarryTheErrorsMap() {
        String body = "{\"data\":null,\"message\":\"Parameter verification failed.\\n\","
                + "\"errors\":{\"net0\":\"invalid format - missing key in comma-separated list property\\n\"}}";
        ProxmoxException e = ErrorClassifier.classify("POST", "/nodes/pve/lxc", 400, "Parameter verification failed.", body);
        assertThat(e).isInstanceOfSatisfying(InvalidParametersException.class, i -> {
            assertThat(i.errors()).containsEntry("net0", "invalid format - missing key in comma-separated list property");
            assertThat(i.getMessage()).contains("POST /nodes/pve/lxc", "400", "net0: invalid format");
        });
    }

    @ParameterizedTest
    @CsvSource({"595,false", "596,true", "502,false", "503,false", "504,true"})
    void transientStatuses(int status, boolean mayHaveReached) {
        assertThat(classify(status, "Connection timed out")).isInstanceOfSatisfying(TransientException.class,
                t -> assertThat(t.mayHaveReachedServer()).isEqualTo(mayHaveReached));
    }

    @Test
    void olderServersWithoutMessageFieldUseTheReasonPhrase() {
        ProxmoxException e = ErrorClassifier.classify("DELETE", "/nodes/pve/lxc/100", 500, "CT is locked (create)", "{\"data\":null}");
        assertThat(e).isInstanceOfSatisfying(LockedException.class, l -> assertThat(l.lock()).isEqualTo("create"));
        assertThat(e.proxmoxMessage()).isEqualTo("CT is locked (create)");
        assertThat(e.method()).isEqualTo("DELETE");
        assertThat(e.path()).isEqualTo("/nodes/pve/lxc/100");
    }

    @Test
    void noMessageAnywhere() {
        ProxmoxException e = ErrorClassifier.classify("GET", "/version", 500, "", "not json");
        assertThat(e).isInstanceOf(ApiErrorException.class);
        assertThat(e.proxmoxMessage()).isEqualTo("HTTP 500");
    }
}
