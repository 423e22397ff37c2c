package io.proxplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalPlatformTest {

    @Test
    void walksOneContainerThroughItsLifeOnTheEmbeddedSimulator() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        new LocalPlatform(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(LocalOptions.parse(new String[0]));
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("started the embedded PVE simulator")
                .containsPattern("create CT (\\d+): task UPID:pve:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vzcreate:\\1:root@pam!local:")
                .contains("net0=name=eth0,bridge=vmbr0,gw=10.99.0.1,hwaddr=BC:24:11:")
                .contains("status: running")
                .containsPattern("interface eth0 bc:24:11(:[0-9a-f]{2}){3} \\[10\\.99\\.0\\.10/24")
                .contains("cores=2 memory=1024")
                .contains("rootfs: local-lvm:vm-", "size=5G")
                .contains("interfaces while stopped: []")
                .containsPattern("CT \\d+ is gone")
                .containsPattern("\\s1  POST /nodes/\\{node}/lxc\\n");
        assertThat(out.lines().filter(l -> l.contains("finished:")).toList())
                .hasSize(5).allMatch(l -> l.endsWith("finished: OK"));
    }

    @Test
    void aRealEndpointNeedsAWellFormedToken() {
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--proxmox-url", "https://pve:8006"}))
                .hasMessageContaining("--token");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--proxmox-url", "https://pve:8006", "--token", "root@pam"}))
                .hasMessageContaining("USER@REALM!ID=SECRET");
        assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--colour", "red"})).hasMessageContaining("--colour");

        LocalOptions o = LocalOptions.parse(new String[] {"--proxmox-url", "https://pve:8006", "--token", "ops@pve!tf=s3=cr3t",
                "--tls-fingerprint", "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"});
        assertThat(o.tokenId()).isEqualTo("ops@pve!tf");
        assertThat(o.tokenSecret()).isEqualTo("s3=cr3t");
    }
}
