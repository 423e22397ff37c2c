package io.proxplane.pvesim;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.api.RouteSpec;
import io.proxplane.pvesim.auth.Tickets;
import io.proxplane.pvesim.faults.Faults;
import io.proxplane.pvesim.http.HttpAnswer;
import io.proxplane.pvesim.http.HttpExchange;
import io.proxplane.pvesim.http.HttpServer;
import io.proxplane.pvesim.http.SelfSignedCertificate;
import io.proxplane.pvesim.routes.Api;
import io.proxplane.pvesim.routes.Engine;
import io.proxplane.pvesim.state.AclEntry;
import io.proxplane.pvesim.state.ClusterState;
import io.proxplane.pvesim.state.Container;
import io.proxplane.pvesim.state.Node;
import io.proxplane.pvesim.state.Realm;
import io.proxplane.pvesim.state.Storage;
import io.proxplane.pvesim.state.Token;
import io.proxplane.pvesim.state.User;
import io.proxplane.pvesim.state.Volume;
import io.proxplane.pvesim.tasks.GuestLocks;
import io.proxplane.pvesim.tasks.TaskManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Proxmox VE API simulator serving /api2/json over HTTPS. See docs/pve-simulator.md and DESIGN.md. */
public final class PveSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PveSimulator.class);

    private final Builder config;
    private final ClusterState state;
    private final Faults faults = new Faults();
    private final GuestLocks locks;
    private final TaskManager tasks;
    private final Engine engine;
    private final Api api;
    private final SelfSignedCertificate certificate;
    private final FaultInjector faultInjector;
    private final SimulatorAdmin admin;
    private HttpServer server;

    private PveSimulator(Builder b) {
        this.config = b;
        this.state = loadOrCreateState(b);
        this.locks = new GuestLocks(b.flockTimeout);
        this.tasks = new TaskManager(b.clock, faults, locks, b.taskDuration, b.taskDurations);
        this.engine = new Engine(state, tasks, locks, faults, new Tickets(b.clock, b.ticketLifetime), b.clock,
                new Engine.Config(b.resourcesLag, b.unauthorizedDelay, b.pveVersion, "c8d4e2a1f"));
        this.api = new Api(engine);
        this.certificate = SelfSignedCertificate.generate(b.host);
        engine.certificateFingerprint(certificate.fingerprintSha256());
        this.faultInjector = new FaultInjectorImpl();
        this.admin = new AdminImpl();
        synchronized (state) {
            for (Map.Entry<String, String> u : b.users.entrySet()) {
                User user = state.users.computeIfAbsent(u.getKey(), User::new);
                user.password = u.getValue();
            }
            for (Map.Entry<String, String> t : b.tokens.entrySet()) {
                String[] parts = t.getKey().split("!", 2);
                User user = state.users.computeIfAbsent(parts[0], User::new);
                user.tokens.put(parts[1], new Token(parts[1], t.getValue(), false));
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public PveSimulator start() {
        server = new HttpServer(config.host, config.port, certificate, this::handle);
        server.start();
        LOG.info("PVE simulator {} listening on {} (nodes {})", config.pveVersion, baseUrl(), config.nodes);
        return this;
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        String h = config.host.equals("0.0.0.0") ? "127.0.0.1" : config.host;
        return "https://" + h + ":" + port();
    }

    public String certificateFingerprintSha256() {
        return certificate.fingerprintSha256();
    }

    public String certificatePem() {
        return certificate.certificatePem();
    }

    public FaultInjector faults() {
        return faultInjector;
    }

    public SimulatorAdmin admin() {
        return admin;
    }

    public String stateJson() {
        synchronized (state) {
            try {
                return stateMapper().writeValueAsString(state);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static List<RouteSpec> routes() {
        return Api.specs();
    }

    @Override
    public void close() {
        if (server != null) server.close();
        tasks.close();
        faults.bumpGeneration();
        if (config.stateFile != null) {
            try {
                Files.writeString(config.stateFile, stateJson());
            } catch (IOException e) {
                LOG.warn("cannot save the state file {}: {}", config.stateFile, e.toString());
            }
        }
    }

    private HttpAnswer handle(HttpExchange ex) {
        if (ex.rawPath().startsWith("/_sim/")) return AdminHttp.handle(this, api, ex);
        return api.handle(ex);
    }

    Api api() {
        return api;
    }

    Engine engine() {
        return engine;
    }

    static ObjectMapper stateMapper() {
        ObjectMapper m = new ObjectMapper();
        m.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        m.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return m;
    }

    private static ClusterState loadOrCreateState(Builder b) {
        if (b.stateFile != null && Files.exists(b.stateFile)) {
            try {
                return stateMapper().readValue(Files.readString(b.stateFile), ClusterState.class);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the state file " + b.stateFile + ": " + e.getMessage(), e);
            }
        }
        ClusterState st = new ClusterState();
        long now = b.clock.instant().getEpochSecond();
        int id = 1;
        for (String n : b.nodes) st.nodes.put(n, Engine.newNode(n, id++, now));
        st.realms.put("pam", new Realm("pam", "pam", "Linux PAM standard authentication"));
        st.realms.put("pve", new Realm("pve", "pve", "Proxmox VE authentication server"));
        st.users.put("root@pam", new User("root@pam"));
        st.users.get("root@pam").email = "root@localhost";
        return st;
    }

    private final class FaultInjectorImpl implements FaultInjector {
        @Override public void failNext(String method, String pathRegex, int times, int status, String message) {
            faults.failNext(method, pathRegex, times, status, message);
        }

        @Override public void latency(String method, String pathRegex, Duration delay) {
            faults.latency(method, pathRegex, delay);
        }

        @Override public void failTask(String taskType, Integer vmid, String errorMessage) {
            faults.addTaskFault(taskType, vmid, Faults.TaskFaultKind.FAIL, errorMessage);
        }

        @Override public void warnTask(String taskType, Integer vmid, String warning) {
            faults.addTaskFault(taskType, vmid, Faults.TaskFaultKind.WARN, warning);
        }

        @Override public void hangTask(String taskType, Integer vmid) {
            faults.addTaskFault(taskType, vmid, Faults.TaskFaultKind.HANG, null);
        }

        @Override public void hideNewTasks(int polls) {
            faults.hideNewTasks(polls);
        }

        @Override public void holdLock(int vmid, String lock) {
            synchronized (state) {
                Container ct = state.containers.get(vmid);
                if (ct == null) throw new IllegalArgumentException("no container " + vmid);
                ct.config.put("lock", lock);
            }
        }

        @Override public void holdFlock(int vmid, Duration d) {
            locks.hold(vmid, d);
        }

        @Override public void clear() {
            faults.clear();
            faults.bumpGeneration();
        }
    }

    private final class AdminImpl implements SimulatorAdmin {
        @Override public void unlock(int vmid) {
            synchronized (state) {
                Container ct = state.containers.get(vmid);
                if (ct == null) throw new IllegalArgumentException("no container " + vmid);
                ct.config.remove("lock");
            }
        }

        @Override public void createUser(String userid, String password) {
            synchronized (state) {
                User u = state.users.computeIfAbsent(userid, User::new);
                u.password = password;
            }
        }

        @Override public void createToken(String tokenId, String secret, boolean privsep) {
            String[] parts = tokenId.split("!", 2);
            if (parts.length != 2) throw new IllegalArgumentException("token id must be user@realm!name: " + tokenId);
            synchronized (state) {
                User u = state.users.computeIfAbsent(parts[0], User::new);
                u.tokens.put(parts[1], new Token(parts[1], secret, privsep));
            }
        }

        @Override public void setAcl(String path, String type, String ugid, String role, boolean propagate) {
            synchronized (state) {
                state.acl.removeIf(a -> a.path().equals(path) && a.type().equals(type) && a.ugid().equals(ugid) && a.roleid().equals(role));
                state.acl.add(new AclEntry(path, type, ugid, role, propagate));
            }
        }

        @Override public void createRole(String roleid, java.util.Collection<String> privileges) {
            if (io.proxplane.pvesim.auth.Roles.isBuiltIn(roleid)) throw new IllegalArgumentException("built-in role " + roleid);
            for (String p : privileges) {
                if (!io.proxplane.pvesim.auth.Roles.ALL_PRIVILEGES.contains(p)) throw new IllegalArgumentException("invalid privilege '" + p + "'");
            }
            synchronized (state) {
                state.customRoles.put(roleid, new ArrayList<>(new java.util.TreeSet<>(privileges)));
            }
        }

        @Override public void addNode(String name) {
            synchronized (state) {
                if (state.nodes.containsKey(name)) return;
                state.nodes.put(name, Engine.newNode(name, state.nodes.size() + 1, config.clock.instant().getEpochSecond()));
            }
        }

        @Override public void setNodeOnline(String name, boolean online) {
            synchronized (state) {
                Node n = state.nodes.get(name);
                if (n == null) throw new IllegalArgumentException("no node " + name);
                n.online = online;
            }
        }

        @Override public void addTemplate(String node, String storage, String fileName) {
            synchronized (state) {
                Node n = Objects.requireNonNull(state.nodes.get(node), "no node " + node);
                Storage s = Objects.requireNonNull(n.storages.get(storage), "no storage " + storage);
                String volid = storage + ":vztmpl/" + fileName;
                s.volumes.put(volid, new Volume(volid, "vztmpl", Engine.templateFormat(fileName), 98_765_432L,
                        config.clock.instant().getEpochSecond(), null));
            }
        }
    }

    /** Builder with the options of docs/pve-simulator.md. */
    public static final class Builder {
        String host = "127.0.0.1";
        int port = 0;
        List<String> nodes = List.of("pve");
        final Map<String, String> tokens = new LinkedHashMap<>();
        final Map<String, String> users = new LinkedHashMap<>();
        Duration taskDuration = Duration.ofMillis(200);
        final Map<String, Duration> taskDurations = new LinkedHashMap<>();
        Duration flockTimeout = Duration.ofSeconds(10);
        Duration resourcesLag = Duration.ZERO;
        Duration unauthorizedDelay = Duration.ZERO;
        Duration ticketLifetime = Duration.ofHours(2);
        Clock clock = Clock.systemUTC();
        Path stateFile;
        String pveVersion = "9.1.5";

        private Builder() {}

        public Builder host(String bindAddress) { host = bindAddress; return this; }
        public Builder port(int p) { port = p; return this; }
        public Builder nodes(String... names) {
            if (names.length == 0) throw new IllegalArgumentException("at least one node is needed");
            nodes = List.of(names);
            return this;
        }
        public Builder apiToken(String tokenId, String secret) {
            if (!tokenId.contains("!")) throw new IllegalArgumentException("token id must be user@realm!name: " + tokenId);
            tokens.put(tokenId, secret);
            return this;
        }
        public Builder user(String userid, String password) { users.put(userid, password); return this; }
        public Builder taskDuration(Duration d) { taskDuration = d; return this; }
        public Builder taskDuration(String taskType, Duration d) { taskDurations.put(taskType, d); return this; }
        public Builder flockTimeout(Duration d) { flockTimeout = d; return this; }
        public Builder resourcesLag(Duration d) { resourcesLag = d; return this; }
        public Builder unauthorizedDelay(Duration d) { unauthorizedDelay = d; return this; }
        public Builder ticketLifetime(Duration d) { ticketLifetime = d; return this; }
        public Builder clock(Clock c) { clock = c; return this; }
        public Builder stateFile(Path file) { stateFile = file; return this; }
        public Builder pveVersion(String version) { pveVersion = version; return this; }

        public PveSimulator build() {
            return new PveSimulator(this);
        }
    }

    /** For AdminHttp: turns a failure into the PVE error shape. */
    HttpAnswer error(ApiException e) {
        return api.error(e);
    }

    static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) if (!s.isBlank()) out.add(s.trim());
        return out;
    }
}
