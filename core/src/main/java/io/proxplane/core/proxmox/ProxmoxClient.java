package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.model.VersionInfo;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Client for the Proxmox VE REST API ({@code https://host:8006/api2/json}).
 *
 * <pre>{@code
 * try (ProxmoxClient pve = ProxmoxClient.builder()
 *         .endpoint(URI.create("https://pve.example:8006"))
 *         .apiToken("proxplane@pve!engine", secret)
 *         .tls(TlsTrust.pinnedSha256("AB:CD:..."))
 *         .build()) {
 *     Upid upid = pve.lxc().create("pve", request);
 *     pve.tasks().await(upid, Duration.ofMinutes(5));
 * }
 * }</pre>
 *
 * Failures are {@link io.proxplane.core.proxmox.error.ProxmoxException}s. Transient failures and
 * locks are retried per the {@link RetryPolicy} (see {@link Transport} for the idempotency rule);
 * everything else fails at once with the message Proxmox gave. Thread-safe.
 */
public final class ProxmoxClient implements AutoCloseable {

    private final Transport transport;
    private final ClusterApi cluster;
    private final NodesApi nodes;
    private final LxcApi lxc;
    private final TasksApi tasks;
    private final PoolsApi pools;
    private final UsersApi users;
    private final GroupsApi groups;
    private final AclApi acl;
    private final RealmsApi realms;

    private ProxmoxClient(Builder b) {
        HttpUrl base = apiBase(b.endpoint);
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .writeTimeout(b.readTimeout)
                .followRedirects(false);
        TlsSupport.apply(b.tls, http);
        this.transport = new Transport(base, http, b.retryPolicy);
        if (b.tokenId != null) {
            transport.authentication(new Authentication.ApiToken(b.tokenId, b.tokenSecret));
        } else {
            transport.authentication(new Authentication.Ticket(transport, b.username, b.password, b.ticketRenewAfter, b.clock));
        }
        this.cluster = new ClusterApi(transport);
        this.nodes = new NodesApi(transport);
        this.lxc = new LxcApi(transport);
        this.tasks = new TasksApi(transport, b.taskPollInitial, b.taskPollMax, RetryPolicy.THREAD_SLEEP, b.nanoTime);
        this.pools = new PoolsApi(transport);
        this.users = new UsersApi(transport);
        this.groups = new GroupsApi(transport);
        this.acl = new AclApi(transport);
        this.realms = new RealmsApi(transport);
    }

    private static HttpUrl apiBase(URI endpoint) {
        HttpUrl url = HttpUrl.get(endpoint.toString());
        String path = url.encodedPath().replaceAll("/+$", "");
        if (!path.endsWith("/api2/json")) {
            path = path + "/api2/json";
        }
        return url.newBuilder().encodedPath(path.startsWith("/") ? path : "/" + path).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code GET /version}. */
    public VersionInfo version() {
        JsonNode n = transport.call("GET", "/version").data();
        return new VersionInfo(Json.text(n, "version"), Json.text(n, "release"), Json.text(n, "repoid"));
    }

    public ClusterApi cluster() { return cluster; }
    public NodesApi nodes() { return nodes; }
    public LxcApi lxc() { return lxc; }
    public TasksApi tasks() { return tasks; }
    public PoolsApi pools() { return pools; }
    public UsersApi users() { return users; }
    public GroupsApi groups() { return groups; }
    public AclApi acl() { return acl; }
    public RealmsApi realms() { return realms; }

    /**
     * HTTP requests sent so far (retries and ticket logins included) by
     * {@code "METHOD /path/template"}, e.g. {@code "POST /nodes/{node}/lxc"}. A snapshot.
     */
    public Map<String, Long> requestCounts() {
        return transport.requestCounts();
    }

    public void resetRequestCounts() {
        transport.resetRequestCounts();
    }

    /** The listener sees every request as it is sent; it must be fast and must not throw. */
    public void addRequestListener(RequestListener listener) {
        transport.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeRequestListener(RequestListener listener) {
        transport.removeListener(listener);
    }

    @Override
    public void close() {
        transport.close();
    }

    public static final class Builder {
        private URI endpoint;
        private String tokenId;
        private String tokenSecret;
        private String username;
        private String password;
        private Duration ticketRenewAfter = Duration.ofHours(1);
        private TlsTrust tls = TlsTrust.system();
        private Duration connectTimeout = Duration.ofSeconds(10);
        // Above PVE's 30 s proxy timeout, so the server's 596 arrives before our own timeout.
        private Duration readTimeout = Duration.ofSeconds(45);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private Duration taskPollInitial = Duration.ofMillis(100);
        private Duration taskPollMax = Duration.ofSeconds(2);
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /** {@code https://host:8006}; {@code /api2/json} is appended. */
        public Builder endpoint(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
                throw new IllegalArgumentException("endpoint: expected https://host:8006, got '" + endpoint + "'");
            }
            this.endpoint = endpoint;
            return this;
        }

        public Builder endpoint(String endpoint) {
            return endpoint(URI.create(endpoint));
        }

        /** API token auth: {@code user@realm!tokenid} and its secret. */
        public Builder apiToken(String tokenId, String secret) {
            this.tokenId = tokenId;
            this.tokenSecret = secret;
            this.username = null;
            this.password = null;
            new Authentication.ApiToken(tokenId, secret); // validate now, with a clear message
            return this;
        }

        /** Ticket auth with user name ({@code user@realm}) and password; renewed automatically. */
        public Builder ticket(String username, String password) {
            this.username = username;
            this.password = password;
            this.tokenId = null;
            this.tokenSecret = null;
            return this;
        }

        /** Renew a ticket once it is this old (default 1 h; tickets live 2 h). */
        public Builder ticketRenewAfter(Duration d) {
            this.ticketRenewAfter = Objects.requireNonNull(d);
            return this;
        }

        public Builder tls(TlsTrust trust) {
            this.tls = Objects.requireNonNull(trust, "tls");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** Read (and write) timeout of one request. */
        public Builder readTimeout(Duration d) {
            this.readTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** Clock for ticket age; tests inject one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Task polling interval: starts at {@code initial}, doubles up to {@code max}. */
        public Builder taskPolling(Duration initial, Duration max) {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("taskPolling: need 0 < initial <= max");
            }
            this.taskPollInitial = initial;
            this.taskPollMax = max;
            return this;
        }

        public ProxmoxClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("endpoint: required (https://host:8006)");
            }
            if (tokenId == null && username == null) {
                throw new IllegalStateException("authentication: call apiToken(...) or ticket(...)");
            }
            return new ProxmoxClient(this);
        }
    }
}
