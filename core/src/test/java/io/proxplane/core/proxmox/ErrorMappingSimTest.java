package io.proxplane.core.proxmox;

import static io.proxplane.core.proxmox.SimClients.NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.proxmox.error.AlreadyExistsException;
import io.proxplane.core.proxmox.error.AuthenticationFailedException;
import io.proxplane.core.proxmox.error.InvalidParametersException;
import io.proxplane.core.proxmox.error.LockedException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.error.PermissionDeniedException;
import io.proxplane.core.proxmox.error.TaskFailedException;
import io.proxplane.core.proxmox.error.TransientException;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.TaskQuery;
import io.proxplane.core.proxmox.model.TaskStatus;
import io.proxplane.core.proxmox.model.Upid;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ErrorMappingSimTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger NEXT_VMID = new AtomicInteger(200);

    @RegisterExtension
    static PveSimulatorExtension sim = PveSimulatorExtension.with(b -> b.flockTimeout(Duration.ofMillis(200)));

    private static PveSimulator simulator;
    private static final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private static ProxmoxClient pve;

    @BeforeAll
    static void connect() {
        simulator = sim.simulator();
        pve = SimClients.rootClient(simulator, sleeps);
    }

    @AfterAll
    static void close() {
        pve.close();
    }

    @BeforeEach
    void reset() {
        sleeps.clear();
        pve.resetRequestCounts();
    }

    @AfterEach
    void clearFaults() {
        simulator.faults().clear();
    }

    private static int createdContainer() {
        int vmid = NEXT_VMID.getAndIncrement();
        pve.tasks().await(pve.lxc().create(NODE, SimClients.container(vmid).build()), WAIT);
        return vmid;
    }

    @Test
    void missingContainerIsNotFound() {
        assertThatThrownBy(() -> pve.lxc().config(NODE, 999_999))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.path()).isEqualTo("/nodes/pve/lxc/999999/config");
                    assertThat(e.proxmoxMessage()).contains("does not exist");
                });
        assertThat(sleeps).isEmpty();
    }

    @Test
    void duplicateCreateIsAlreadyExistsAndNotRetried() {
        int vmid = createdContainer();
        pve.resetRequestCounts();
        assertThatThrownBy(() -> pve.lxc().create(NODE, SimClients.container(vmid).build()))
                .isInstanceOfSatisfying(AlreadyExistsException.class,
                        e -> assertThat(e.proxmoxMessage()).contains("CT " + vmid + " already exists"));
        assertThat(pve.requestCounts()).containsEntry("POST /nodes/{node}/lxc", 1L);
    }

    @Test
    void persistentLockIsRetriedThenReportedWithItsName() {
        int vmid = createdContainer();
        simulator.faults().holdLock(vmid, "backup");
        pve.resetRequestCounts();
        assertThatThrownBy(() -> pve.lxc().updateConfig(NODE, vmid, LxcConfigUpdate.builder().cores(2).build()))
                .isInstanceOfSatisfying(LockedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LockedException.Kind.CONFIG_LOCK);
                    assertThat(e.lock()).isEqualTo("backup");
                });
        assertThat(pve.requestCounts()).containsEntry("PUT /nodes/{node}/lxc/{vmid}/config", 4L);
        assertThat(sleeps).hasSize(3);
        assertThat(pve.lxc().config(NODE, vmid).lock()).hasValue("backup");
        simulator.admin().unlock(vmid);
        pve.lxc().updateConfig(NODE, vmid, LxcConfigUpdate.builder().cores(2).build());
        assertThat(pve.lxc().config(NODE, vmid).cores()).hasValue(2);
    }

    @Test
    void flockTimeoutIsLocked() {
        int vmid = createdContainer();
        // Held longer than all attempts together (4 x 200 ms flock wait): the lock outlasts the retries.
        simulator.faults().holdFlock(vmid, Duration.ofSeconds(3));
        assertThatThrownBy(() -> pve.lxc().updateConfig(NODE, vmid, LxcConfigUpdate.builder().cores(2).build()))
                .isInstanceOfSatisfying(LockedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LockedException.Kind.FILE_LOCK_TIMEOUT);
                    assertThat(e.lock()).contains("pve-config-" + vmid + ".lock");
                });
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void permissionDeniedNamesPathAndPrivilege() {
        simulator.admin().createUser("limited@pve", "limited-password");
        simulator.admin().createToken("limited@pve!ro", "ro-secret", true);
        // A privsep token gets the intersection of the user's and its own ACLs: read-only here.
        simulator.admin().setAcl("/", "user", "limited@pve", "PVEAuditor", true);
        simulator.admin().setAcl("/", "token", "limited@pve!ro", "PVEAuditor", true);
        int vmid = NEXT_VMID.getAndIncrement();
        try (ProxmoxClient limited = SimClients.builder(simulator).apiToken("limited@pve!ro", "ro-secret")
                .retryPolicy(RetryPolicy.none()).build()) {
            assertThat(limited.cluster().resources(ClusterResource.Type.NODE)).isNotEmpty();
            assertThatThrownBy(() -> limited.lxc().create(NODE, SimClients.container(vmid).build()))
                    .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(403);
                        assertThat(e.permissionPath()).isEqualTo("/vms/" + vmid);
                        assertThat(e.privilege()).isEqualTo("VM.Allocate");
                    });
        }
    }

    @Test
    void wrongSecretIsAuthenticationFailed() {
        try (ProxmoxClient wrong = SimClients.builder(simulator)
                .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, "not-the-secret").build()) {
            assertThatThrownBy(wrong::version)
                    .isInstanceOfSatisfying(AuthenticationFailedException.class,
                            e -> assertThat(e.httpStatus()).isEqualTo(401));
            assertThat(wrong.requestCounts()).containsEntry("GET /version", 1L);
        }
    }

    @Test
    void invalidParametersCarryPerParameterErrors() {
        assertThatThrownBy(() -> pve.tasks().list(NODE, new TaskQuery(null, null, "bogus", null, null, null)))
                .isInstanceOfSatisfying(InvalidParametersException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errors()).containsKey("source");
                });
        assertThat(sleeps).isEmpty();
    }

    @Test
    void transientFailuresAreRetriedUntilSuccess() {
        simulator.faults().failNext("GET", "/cluster/resources", 2, 596, "Connection timed out");
        assertThat(pve.cluster().resources()).isNotEmpty();
        assertThat(pve.requestCounts()).containsEntry("GET /cluster/resources", 3L);
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(sleeps.get(1)).isLessThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void transientFailureOnAStartIsNotRepeatedBlindly() {
        int vmid = createdContainer();
        simulator.faults().failNext("POST", "/nodes/pve/lxc/" + vmid + "/status/start", 1, 596, "Connection timed out");
        assertThatThrownBy(() -> pve.lxc().start(NODE, vmid))
                .isInstanceOfSatisfying(TransientException.class, e -> assertThat(e.mayHaveReachedServer()).isTrue());
        simulator.faults().failNext("POST", "/nodes/pve/lxc/" + vmid + "/status/start", 1, 595,
                "Errors during connection establishment, proxy handshake: Connection refused");
        pve.tasks().await(pve.lxc().start(NODE, vmid), WAIT);
        assertThat(pve.lxc().status(NODE, vmid).isRunning()).isTrue();
    }

    @Test
    void failedTaskReportsExitStatusAndLogTail() {
        int vmid = createdContainer();
        simulator.faults().failTask("vzstart", vmid, "simulated start failure");
        Upid upid = pve.lxc().start(NODE, vmid);
        assertThatThrownBy(() -> pve.tasks().await(upid, WAIT))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.upid()).isEqualTo(upid.value());
                    assertThat(e.exitStatus()).contains("simulated start failure");
                    assertThat(e.lastLogLines()).isNotEmpty().hasSizeLessThanOrEqualTo(20);
                    assertThat(e.lastLogLines().getLast()).isEqualTo("TASK ERROR: simulated start failure");
                });
    }

    @Test
    void warningsCountAsSuccessAndUnknownTasksAreToleratedAtFirst() {
        int vmid = createdContainer();
        simulator.faults().warnTask("vzstart", vmid, "something odd");
        simulator.faults().hideNewTasks(2);
        TaskStatus status = pve.tasks().await(pve.lxc().start(NODE, vmid), WAIT);
        assertThat(status.exitStatus()).startsWith("WARNINGS");
        assertThat(pve.requestCounts().get("GET /nodes/{node}/tasks/{upid}/status")).isGreaterThanOrEqualTo(3L);
    }

    @Test
    void hungTaskTimesOutNamingTheUpidAndCanBeStopped() {
        int vmid = createdContainer();
        simulator.faults().hangTask("vzstart", vmid);
        Upid upid = pve.lxc().start(NODE, vmid);
        assertThatThrownBy(() -> pve.tasks().await(upid, Duration.ofMillis(300)))
                .isInstanceOf(io.proxplane.core.proxmox.error.TaskTimeoutException.class)
                .hasMessageContaining(upid.value());
        pve.tasks().stop(upid);
        assertThatThrownBy(() -> pve.tasks().await(upid, WAIT)).isInstanceOf(TaskFailedException.class);
    }
}
