package io.proxplane.pvesim.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.api.Formats;
import io.proxplane.pvesim.api.ParamSpec;
import io.proxplane.pvesim.api.ParamType;
import io.proxplane.pvesim.api.RouteSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's routes against the real PVE 9.1 schema (read in place from
 * {@code ../shared/proxmox-api-schema}; skipped with a message when it is absent), and proof
 * that the check notices drift.
 */
class SimulatorSchemaContractTest {

    private static PveApiSchema subset;
    private static PveApiSchema full91;
    private static SchemaContract contract;

    @BeforeAll
    static void loadSchema() {
        Optional<Path> dir = PveApiSchema.locateDirectory();
        Assumptions.assumeTrue(dir.isPresent(),
                "PVE API schema not found (expected ../shared/proxmox-api-schema/ beside the project root,"
                        + " or -Dpve.schema.dir=...); skipping the schema contract tests");
        subset = PveApiSchema.load(dir.get().resolve(PveApiSchema.SUBSET_FILE));
        full91 = PveApiSchema.load(dir.get().resolve(PveApiSchema.FULL_91_FILE));
        contract = new SchemaContract(full91, (format, value) -> Optional.ofNullable(Formats.check(format, value)).map(String::strip));
    }

    @Test
    void everyServedRouteMatchesTheSchema() {
        List<String> violations = new ArrayList<>();
        for (RouteSpec route : PveSimulator.routes()) {
            violations.addAll(contract.checkRoute(route));
        }
        assertThat(violations).as("drift between the simulator and the PVE 9.1 schema").isEmpty();
    }

    @Test
    void theSimulatorServesTheRoutesTheProjectNeeds() {
        List<String> served = PveSimulator.routes().stream().map(r -> r.method() + " " + r.pathTemplate()).toList();
        assertThat(served).contains(
                "GET /version", "POST /access/ticket", "GET /cluster/resources", "GET /cluster/nextid",
                "GET /nodes", "GET /nodes/{node}/status", "GET /nodes/{node}/storage",
                "GET /nodes/{node}/storage/{storage}/content",
                "POST /nodes/{node}/storage/{storage}/oci-registry-pull",
                "POST /nodes/{node}/lxc", "GET /nodes/{node}/lxc/{vmid}/config",
                "PUT /nodes/{node}/lxc/{vmid}/config", "DELETE /nodes/{node}/lxc/{vmid}",
                "GET /nodes/{node}/lxc/{vmid}/status/current", "POST /nodes/{node}/lxc/{vmid}/status/start",
                "POST /nodes/{node}/lxc/{vmid}/status/stop", "POST /nodes/{node}/lxc/{vmid}/status/shutdown",
                "POST /nodes/{node}/lxc/{vmid}/status/reboot", "GET /nodes/{node}/lxc/{vmid}/interfaces",
                "PUT /nodes/{node}/lxc/{vmid}/resize", "GET /nodes/{node}/tasks/{upid}/status",
                "GET /nodes/{node}/tasks/{upid}/log", "GET /pools", "POST /pools", "PUT /pools",
                "DELETE /pools", "GET /access/users", "POST /access/users", "GET /access/groups",
                "POST /access/groups", "GET /access/acl", "PUT /access/acl",
                "POST /access/domains/{realm}/sync");
        assertThat(served).doesNotHaveDuplicates();
        for (String route : served) {
            String[] parts = route.split(" ", 2);
            assertThat(subset.method(parts[0], parts[1]).isPresent() || full91.method(parts[0], parts[1]).isPresent())
                    .as(route).isTrue();
        }
    }

    @Test
    void aRenamedRouteIsReported() {
        RouteSpec route = route("GET", "/nodes/{node}/lxc/{vmid}/config");
        RouteSpec drifted = new RouteSpec(route.method(), "/nodes/{node}/lxc/{vmid}/configuration",
                route.protectedFlag(), route.allowToken(), route.parameters());
        assertThat(contract.checkRoute(drifted)).singleElement().asString().contains("no such method");
    }

    @Test
    void aMissingExtraOrRetypedParameterIsReported() {
        RouteSpec route = route("POST", "/nodes/{node}/lxc");
        List<ParamSpec> params = new ArrayList<>(route.parameters());
        ParamSpec cores = params.stream().filter(p -> p.name().equals("cores")).findFirst().orElseThrow();
        params.remove(cores);
        params.add(new ParamSpec("cores", ParamType.STRING, cores.optional(), cores.format(), cores.pattern(),
                cores.enumValues(), cores.minimum(), cores.maximum(), cores.minLength(), cores.maxLength(),
                cores.propertyKeys(), cores.defaultKey(), cores.requires()));
        params.removeIf(p -> p.name().equals("hostname"));
        params.add(new ParamSpec("colour", ParamType.STRING, true, null, null, List.of(), null, null, null, null,
                List.of(), false, null));
        List<String> violations = contract.checkRoute(new RouteSpec(route.method(), route.pathTemplate(),
                route.protectedFlag(), route.allowToken(), params));
        assertThat(violations).anyMatch(v -> v.contains("cores: type string, schema says integer"))
                .anyMatch(v -> v.contains("'hostname' is in the schema but not served"))
                .anyMatch(v -> v.contains("'colour' is served but not in the schema"));
    }

    @Test
    void aChangedFlagOrPropertyStringKeyIsReported() {
        RouteSpec route = route("PUT", "/nodes/{node}/lxc/{vmid}/config");
        List<ParamSpec> params = new ArrayList<>();
        for (ParamSpec p : route.parameters()) {
            if (p.name().equals("net[n]")) {
                List<ParamSpec> keys = new ArrayList<>(p.propertyKeys());
                keys.removeIf(k -> k.name().equals("hwaddr"));
                p = new ParamSpec(p.name(), p.type(), p.optional(), p.format(), p.pattern(), p.enumValues(),
                        p.minimum(), p.maximum(), p.minLength(), p.maxLength(), keys, p.defaultKey(), p.requires());
            }
            params.add(p);
        }
        List<String> violations = contract.checkRoute(new RouteSpec(route.method(), route.pathTemplate(),
                !route.protectedFlag(), route.allowToken(), params));
        assertThat(violations).anyMatch(v -> v.contains("protected is"))
                .anyMatch(v -> v.contains("net[n]: property-string keys"));
    }

    @Test
    void requestChecksCatchWhatPveWouldReject() {
        assertThat(contract.checkRequest("POST", "/nodes/{node}/lxc", Map.of(
                "vmid", "100", "ostemplate", "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
                "net0", "name=eth0,bridge=vmbr0,ip=10.0.0.5/24,gw=10.0.0.1,hwaddr=BC:24:11:00:00:01",
                "unprivileged", "1", "rootfs", "local-lvm:8"))).isEmpty();

        assertThat(contract.checkRequest("POST", "/nodes/{node}/lxc", Map.of(
                "vmid", "99", "unprivileged", "true", "net0", "bridge=vmbr0,colour=red", "node", "pve")))
                .anyMatch(v -> v.contains("required parameter 'ostemplate' not sent"))
                .anyMatch(v -> v.contains("vmid: 99 is below the minimum 100"))
                .anyMatch(v -> v.contains("unprivileged: boolean sent as 'true'"))
                .anyMatch(v -> v.contains("net0: required key 'name' missing"))
                .anyMatch(v -> v.contains("net0: key 'colour' is not in the schema"))
                .anyMatch(v -> v.contains("path parameter 'node' also sent"));

        assertThat(contract.checkRequest("GET", "/nodes/{node}/lxc/{vmid}/configuration", Map.of()))
                .singleElement().asString().contains("no such method");
    }

    private static RouteSpec route(String method, String template) {
        return PveSimulator.routes().stream()
                .filter(r -> r.method().equals(method) && r.pathTemplate().equals(template))
                .findFirst().orElseThrow(() -> new AssertionError("simulator does not serve " + method + " " + template));
    }
}
