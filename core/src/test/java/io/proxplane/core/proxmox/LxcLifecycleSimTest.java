package io.proxplane.core.proxmox;

import static io.proxplane.core.proxmox.SimClients.NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proxplane.core.proxmox.error.ConfigurationChangedException;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.model.ClusterResource;
import io.proxplane.core.proxmox.model.ContainerInterface;
import io.proxplane.core.proxmox.model.DestroyOptions;
import io.proxplane.core.proxmox.model.Features;
import io.proxplane.core.proxmox.model.LxcConfig;
import io.proxplane.core.proxmox.model.LxcConfigUpdate;
import io.proxplane.core.proxmox.model.RootFs;
import io.proxplane.core.proxmox.model.TaskQuery;
import io.proxplane.core.proxmox.model.TaskStatus;
import io.proxplane.core.proxmox.model.Upid;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PveSimulatorExtension.class)
class LxcLifecycleSimTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static ProxmoxClient pve;

    private static PveSimulator pveSim;

    @BeforeAll
    static void connect(PveSimulator sim) {
        pveSim = sim;
        pve = SimClients.rootClient(sim);
    }

    @AfterAll
    static void close() {
        pve.close();
    }

    @Test
    void metaNodesAndStorage() {
        assertThat(pve.version().version()).matches("\\d+\\.\\d+.*");
        assertThat(pve.nodes().list()).extracting(n -> n.node()).contains(NODE);
        assertThat(pve.nodes().status(NODE).pveversion()).startsWith("pve-manager/");
        assertThat(pve.nodes().storages(NODE, "vztmpl")).extracting(s -> s.storage()).contains("local")
                .doesNotContain("local-lvm");
        assertThat(pve.nodes().storageContent(NODE, "local", "vztmpl")).extracting(c -> c.volid())
                .contains(SimClients.TEMPLATE);
        assertThat(pve.cluster().resources(ClusterResource.Type.NODE)).allMatch(r -> r.type().equals("node"));
        int next = pve.cluster().nextId();
        assertThat(next).isGreaterThanOrEqualTo(100);
        assertThat(pve.cluster().isVmidFree(next)).isTrue();
    }

    @Test
    void containerLifeCycle() {
        int vmid = pve.cluster().nextId();
        Upid create = pve.lxc().create(NODE, SimClients.container(vmid)
                .features(Features.nestingOnly()).tags(List.of("web", "prod")).onboot(false)
                .description("made by a test").build());
        assertThat(create.type()).isEqualTo("vzcreate");
        assertThat(create.id()).isEqualTo(String.valueOf(vmid));
        TaskStatus created = pve.tasks().await(create, WAIT);
        assertThat(created.exitStatus()).isEqualTo("OK");
        assertThat(pve.cluster().isVmidFree(vmid)).isFalse();

        LxcConfig config = pve.lxc().config(NODE, vmid);
        assertThat(config.digest()).hasSize(40);
        assertThat(config.hostname()).hasValue("ct" + vmid);
        assertThat(config.cores()).hasValue(1);
        assertThat(config.features().nesting()).isTrue();
        assertThat(config.tags()).containsExactlyInAnyOrder("prod", "web");
        assertThat(config.net(0)).hasValueSatisfying(nic -> {
            assertThat(nic.bridge()).isEqualTo("vmbr0");
            assertThat(nic.hwaddr()).startsWith("BC:24:11");
        });
        assertThat(config.rootfs()).get().extracting(RootFs::storage).isEqualTo("local-lvm");

        pve.tasks().await(pve.lxc().start(NODE, vmid), WAIT);
        assertThat(pve.lxc().status(NODE, vmid).isRunning()).isTrue();
        assertThat(pve.lxc().list(NODE)).anyMatch(c -> c.vmid() == vmid && c.isRunning());
        List<ContainerInterface> ifaces = pve.lxc().interfaces(NODE, vmid);
        assertThat(ifaces).extracting(ContainerInterface::name).contains("lo", "eth0");
        assertThat(ifaces.stream().filter(i -> i.name().equals("eth0")).findFirst().orElseThrow().hwaddr())
                .isEqualToIgnoringCase(config.net(0).orElseThrow().hwaddr());

        pve.lxc().updateConfig(NODE, vmid, LxcConfigUpdate.builder().cores(2).description("changed")
                .digest(config.digest()).build());
        LxcConfig changed = pve.lxc().config(NODE, vmid);
        assertThat(changed.cores()).hasValue(2);
        assertThat(changed.digest()).isNotEqualTo(config.digest());
        assertThatThrownBy(() -> pve.lxc().updateConfig(NODE, vmid,
                LxcConfigUpdate.builder().cores(3).digest(config.digest()).build()))
                .isInstanceOf(ConfigurationChangedException.class)
                .hasMessageContaining("detected modified configuration");
        pve.lxc().updateConfig(NODE, vmid, LxcConfigUpdate.builder().delete("description").build());
        assertThat(pve.lxc().config(NODE, vmid).description()).isEmpty();
        assertThat(pve.lxc().pending(NODE, vmid)).extracting(p -> p.key()).contains("cores");

        pve.tasks().await(pve.lxc().resize(NODE, vmid, "rootfs", "+1G", null), WAIT);
        assertThat(pve.lxc().config(NODE, vmid).rootfs()).get().extracting(RootFs::size).isEqualTo("5G");

        pve.tasks().await(pve.lxc().shutdown(NODE, vmid, 10, true), WAIT);
        assertThat(pve.lxc().status(NODE, vmid).isRunning()).isFalse();
        assertThat(pve.lxc().interfaces(NODE, vmid)).isEmpty();
        pve.tasks().await(pve.lxc().start(NODE, vmid), WAIT);
        pve.tasks().await(pve.lxc().stop(NODE, vmid), WAIT);
        assertThat(pve.tasks().list(NODE, TaskQuery.all().withVmid(vmid))).extracting(t -> t.type())
                .contains("vzcreate", "vzstart", "vzstop", "resize", "vzshutdown");

        pve.tasks().await(pve.lxc().destroy(NODE, vmid, DestroyOptions.defaults().withPurge(true)), WAIT);
        assertThatThrownBy(() -> pve.lxc().config(NODE, vmid)).isInstanceOf(NotFoundException.class);
        assertThat(pve.cluster().isVmidFree(vmid)).isTrue();
    }

    @Test
    void requestCounterCountsEveryRequestByTemplate() {
        try (ProxmoxClient counted = SimClients.rootClient(pveSim)) {
            counted.cluster().resources();
            counted.cluster().resources(ClusterResource.Type.VM);
            counted.lxc().list(NODE);
            assertThat(counted.requestCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "GET /cluster/resources", 2L, "GET /nodes/{node}/lxc", 1L));
            counted.resetRequestCounts();
            assertThat(counted.requestCounts()).isEmpty();
        }
    }
}
