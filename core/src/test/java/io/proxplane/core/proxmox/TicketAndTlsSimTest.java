package io.proxplane.core.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxplane.core.proxmox.error.ApiErrorException;
import io.proxplane.core.proxmox.error.AuthenticationFailedException;
import io.proxplane.core.proxmox.model.Pool;
import io.proxplane.pvesim.PveSimulator;
import io.proxplane.pvesim.junit.PveSimulatorExtension;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TicketAndTlsSimTest {

    private static final SimClients.MutableClock CLOCK = new SimClients.MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private static final String USER = "alice@pve";
    private static final String PASSWORD = "alice-password";

    @RegisterExtension
    static PveSimulatorExtension sim = PveSimulatorExtension.with(b -> b
            .user(USER, PASSWORD)
            .ticketLifetime(Duration.ofMinutes(10))
            .clock(CLOCK));

    private static PveSimulator simulator;

    @BeforeAll
    static void grant() {
        simulator = sim.simulator();
        simulator.admin().setAcl("/", "user", USER, "Administrator", true);
    }

    private static ProxmoxClient ticketClient() {
        return SimClients.builder(simulator).ticket(USER, PASSWORD).ticketRenewAfter(Duration.ofMinutes(5))
                .clock(CLOCK).retryPolicy(RetryPolicy.none()).build();
    }

    @Test
    void ticketIsObtainedRenewedAndReplacedWhenExpired() {
        try (ProxmoxClient pve = ticketClient()) {
            pve.version();
            pve.version();
            assertThat(pve.requestCounts()).containsEntry("POST /access/ticket", 1L).containsEntry("GET /version", 2L);

            CLOCK.advance(Duration.ofMinutes(6)); // older than renewAfter, still valid: renewed with the ticket
            pve.version();
            assertThat(pve.requestCounts()).containsEntry("POST /access/ticket", 2L);

            CLOCK.advance(Duration.ofMinutes(16)); // past lifetime + any skew grace: renewal refused, fresh login
            pve.version();
            assertThat(pve.requestCounts()).containsEntry("POST /access/ticket", 4L).containsEntry("GET /version", 4L);
        }
    }

    @Test
    void writesWithATicketCarryTheCsrfToken() throws IOException {
        try (ProxmoxClient pve = ticketClient()) {
            pve.pools().create("ticket-pool", "created with a ticket");
            assertThat(pve.pools().list()).extracting(Pool::poolid).contains("ticket-pool");
            pve.pools().delete("ticket-pool");
        }
        // The same write without the CSRF header is refused: the header above is what made it pass.
        OkHttpClient.Builder raw = new OkHttpClient.Builder();
        TlsSupport.apply(TlsTrust.pinnedSha256(simulator.certificateFingerprintSha256()), raw);
        OkHttpClient http = raw.build();
        String api = simulator.baseUrl() + "/api2/json";
        JsonNode login;
        try (Response r = http.newCall(new Request.Builder().url(api + "/access/ticket")
                .post(new FormBody.Builder().add("username", USER).add("password", PASSWORD).build()).build()).execute()) {
            login = new ObjectMapper().readTree(r.body().string()).get("data");
        }
        String cookie = "PVEAuthCookie=" + URLEncoder.encode(login.get("ticket").asText(), StandardCharsets.UTF_8);
        try (Response r = http.newCall(new Request.Builder().url(api + "/pools").header("Cookie", cookie)
                .post(new FormBody.Builder().add("poolid", "no-csrf").build()).build()).execute()) {
            assertThat(r.code()).isEqualTo(401);
        }
        // Control: the same raw request with the header passes, so the 401 above was about CSRF.
        try (Response r = http.newCall(new Request.Builder().url(api + "/pools").header("Cookie", cookie)
                .header("CSRFPreventionToken", login.get("CSRFPreventionToken").asText())
                .post(new FormBody.Builder().add("poolid", "with-csrf").build()).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        http.connectionPool().evictAll();
    }

    @Test
    void wrongPasswordIsAuthenticationFailed() {
        try (ProxmoxClient pve = SimClients.builder(simulator).ticket(USER, "wrong-password").clock(CLOCK).build()) {
            assertThatThrownBy(pve::version).isInstanceOf(AuthenticationFailedException.class);
            assertThat(pve.requestCounts()).containsOnlyKeys("POST /access/ticket");
        }
    }

    @Test
    void rightPinConnectsWrongPinFails() {
        try (ProxmoxClient pinned = rootToken(TlsTrust.pinnedSha256(simulator.certificateFingerprintSha256()))) {
            assertThat(pinned.version().version()).isNotBlank();
        }
        String wrong = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
        try (ProxmoxClient other = rootToken(TlsTrust.pinnedSha256(wrong))) {
            assertThatThrownBy(other::version).isInstanceOf(ApiErrorException.class)
                    .hasMessageContaining("does not match the pinned");
            assertThat(other.requestCounts()).isEmpty(); // the request never left the TLS handshake
        }
    }

    @Test
    void caBundleFromTheServerCertificateIsTrusted(@TempDir Path dir) throws IOException {
        Path pem = Files.writeString(dir.resolve("pve-root-ca.pem"), simulator.certificatePem());
        try (ProxmoxClient viaCa = rootToken(TlsTrust.caBundle(pem))) {
            assertThat(viaCa.version().version()).isNotBlank();
        }
        try (ProxmoxClient systemTrust = rootToken(TlsTrust.system())) {
            assertThatThrownBy(systemTrust::version).isInstanceOf(ApiErrorException.class).hasMessageContaining("TLS");
        }
        try (ProxmoxClient insecure = rootToken(TlsTrust.insecure())) {
            assertThat(insecure.version().version()).isNotBlank();
        }
    }

    private static ProxmoxClient rootToken(TlsTrust trust) {
        return ProxmoxClient.builder().endpoint(simulator.baseUrl()).tls(trust)
                .apiToken(PveSimulatorExtension.DEFAULT_TOKEN_ID, PveSimulatorExtension.DEFAULT_TOKEN_SECRET)
                .retryPolicy(RetryPolicy.none()).build();
    }
}
