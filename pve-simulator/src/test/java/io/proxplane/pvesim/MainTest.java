package io.proxplane.pvesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void parsesTheCommandLine() {
        PveSimulator.Builder b = Main.parse(new String[] {"--port", "0", "--token", "root@pam!ci=SECRET", "--nodes", "pve1,pve2",
                "--task-duration", "50ms", "--user", "alice@pve:alice-password", "--resources-lag=0s"});
        try (PveSimulator sim = b.build().start()) {
            SimClient c = SimClient.token(sim, "root@pam!ci", "SECRET");
            assertThat(c.get("/nodes").data().findValuesAsText("node")).containsExactly("pve1", "pve2");
            assertThat(new SimClient(sim.baseUrl()).post("/access/ticket", "username", "alice@pve", "password", "alice-password")
                    .status()).isEqualTo(200);
        }
        assertThat(Main.parse(new String[] {"--help"})).isNull();
        assertThat(Main.duration("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Main.parse(new String[] {"--bogus", "1"})).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> Main.parse(new String[] {"--token", "nobang"})).hasMessageContaining("USER@REALM!ID=SECRET");
    }

    @Test
    void everyOptionAlsoTakesTheJoinedForm() {
        PveSimulator.Builder b = Main.parse(new String[] {"--port=0", "--token=root@pam!ci=SE=CRET", "--nodes=pve1,pve2",
                "--task-duration=50ms", "--user=alice@pve:alice-password"});
        try (PveSimulator sim = b.build().start()) {
            SimClient c = SimClient.token(sim, "root@pam!ci", "SE=CRET");
            assertThat(c.get("/nodes").data().findValuesAsText("node")).containsExactly("pve1", "pve2");
            assertThat(new SimClient(sim.baseUrl()).post("/access/ticket", "username", "alice@pve", "password", "alice-password")
                    .status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> Main.parse(new String[] {"--token=nobang"})).hasMessageContaining("USER@REALM!ID=SECRET");
    }
}
