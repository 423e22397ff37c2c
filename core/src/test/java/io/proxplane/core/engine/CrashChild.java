package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
import io.proxplane.core.engine.spec.GroupSpec;
import io.proxplane.core.engine.spec.PoolSpec;
import io.proxplane.core.engine.spec.UserSpec;
import io.proxplane.core.proxmox.TlsTrust;
import io.proxplane.core.registry.RegistryConfig;
import io.proxplane.pvesim.junit.PveSimulatorExtension;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The engine in a child JVM for {@link CrashTest}: converges random creates, updates (owner
 * changes included) and deletes of its own containers, pools, users and groups until it reaches
 * its kill point, then stops dead and waits for the parent's SIGKILL.
 *
 * <p>The kill point is a count of registry steps, not a moment: every SQL statement, commit and
 * rollback the operating thread sends is a step, and the child parks its operating thread just
 * before its kill step and prints {@code PARKED step=.. kind=.. op=.. inOp=.. sql=..}. The kill
 * point is {@code step:N} (the N-th step after start-up) or {@code intent:D} (D steps after the
 * first statement that writes a container's intent: the narrow window around a Proxmox create or
 * destroy, which uniform steps would rarely hit), or {@code proxmox:N}: stop dead right after the
 * N-th Proxmox request of the operating thread returned (a request listener counts them;
 * the thread parks at its next registry step or Proxmox request, whichever comes first), the
 * window between a Proxmox call and the registry write that follows it. Every Proxmox call the
 * engine makes lies between two registry steps, so every distinct crash state of registry and
 * cluster is reachable this way, whatever the machine's speed. {@code exit} stops after start-up.
 *
 * <p>Output protocol (stdout): {@code READY}, then per operation {@code BEGIN kind name},
 * {@code OK kind name steps=N} or {@code ERR message}, and finally {@code PARKED ...}.
 * The child halts by itself when its stdin closes, so it never outlives the test JVM.
 * Args: jdbcUrl simBaseUrl simFingerprint prefix seed killPoint.
 */
public final class CrashChild {
    static final int NAMES = 4;
    /** Pools, users and groups per child. */
    static final int OTHER_NAMES = 2;

    /** Where the operating thread is: set before each operation, read when it parks. */
    private static volatile String currentOp = "none";
    private static volatile String currentKind = "none";
    private static volatile int stepsInOp;
    private static volatile Thread operating;
    private static long killAt = Long.MAX_VALUE;
    /** For intent:D, the steps to go after the first intent write; -1 otherwise. */
    private static long afterIntent = -1;
    private static long steps;
    /** For proxmox:N, the request after which to stop; the requests of the operating thread so far. */
    private static long killAfterRequest = Long.MAX_VALUE;
    private static long requests;
    private static volatile String lastRequest = "-";
    private static boolean parkAtNext;

    public static void main(String[] args) throws Exception {
        dieWithParent();
        String prefix = args[3];
        Random random = new Random(Long.parseLong(args[4]));
        String killPoint = args[5];
        if (killPoint.startsWith("step:")) {
            killAt = Long.parseLong(killPoint.substring(5));
        } else if (killPoint.startsWith("intent:")) {
            afterIntent = Long.parseLong(killPoint.substring(7));
        } else if (killPoint.startsWith("proxmox:")) {
            killAfterRequest = Long.parseLong(killPoint.substring(8));
        } else if (!killPoint.equals("exit")) {
            throw new IllegalArgumentException("killPoint: '" + killPoint + "' must be step:N, intent:D, proxmox:N or exit");
        }
        StepDriver.install();
        RegistryConfig config = RegistryConfig.of(args[0], "postgres", null).withMaxPoolSize(2);
        CredentialsResolver resolver = e -> new ProxmoxCredentials(PveSimulatorExtension.DEFAULT_TOKEN_ID,
                PveSimulatorExtension.DEFAULT_TOKEN_SECRET, TlsTrust.pinnedSha256(args[2]));
        try (Engine engine = Engine.builder(config, resolver)
                .settings(EngineSettings.defaults().withTaskTimeout(Duration.ofSeconds(20)).withBackoff(3, Duration.ofMillis(20)))
                .taskPolling(Duration.ofMillis(10), Duration.ofMillis(40)).build()) {
            // warm the client (TLS, JSON) so that start-up is not counted as steps
            engine.observeSite(EngineFixture.SITE);
            for (var client : engine.proxmoxClients()) {
                client.addRequestListener((method, path, pathParams, params) -> request(method + " " + path));
            }
            System.out.println("READY");
            System.out.flush();
            if (killPoint.equals("exit")) {
                return;
            }
            while (true) {
                Op op = nextOp(engine, prefix, random);
                currentOp = op.name();
                currentKind = op.kind();
                stepsInOp = 0;
                operating = Thread.currentThread();
                System.out.println("BEGIN " + currentKind + " " + currentOp);
                try {
                    op.run().run();
                    System.out.println("OK " + currentKind + " " + currentOp + " steps=" + stepsInOp);
                } catch (RuntimeException e) {
                    // conflicts, refusals and transient failures are normal here; the next round converges
                    System.out.println("ERR " + e.getMessage());
                }
                operating = null;
            }
        }
    }

    /** One operation: its kind (what the parent reports kills by), the object, and the work. */
    record Op(String kind, String name, Runnable run) {}

    /**
     * The next random operation. Reads the registry to tell an owner change from another update,
     * outside any operation (those reads are not steps).
     */
    static Op nextOp(Engine engine, String prefix, Random random) {
        int dice = random.nextInt(100);
        String k8s = EngineFixture.K8S;
        if (dice < 45) {
            String name = prefix + random.nextInt(NAMES);
            String owner = random.nextInt(3) == 0 ? null : prefix + "u" + random.nextInt(OTHER_NAMES);
            ContainerSpec spec = randomSpec(name, random, owner);
            long siteId = engine.registry().sites().findByName(EngineFixture.SITE).orElseThrow().id();
            var row = engine.registry().containers().findByName(siteId, name);
            boolean ownerChange = row.isPresent() && !java.util.Objects.equals(row.get().spec().owner(), owner);
            return new Op(ownerChange ? "owner" : "apply", name, () -> {
                engine.containers().apply(k8s, spec);
                engine.services().apply(k8s, ContainerServiceSpec.tcp(EngineFixture.SITE, name, "ssh", 22, null));
            });
        }
        if (dice < 60) {
            String name = prefix + random.nextInt(NAMES);
            return new Op("delete", name, () -> engine.containers().delete(k8s, EngineFixture.SITE, name));
        }
        if (dice < 72) {
            String name = prefix + "p" + random.nextInt(OTHER_NAMES);
            PoolSpec spec = poolSpec(name, prefix, random);
            return new Op("pool-apply", name, () -> engine.pools().apply(k8s, spec));
        }
        if (dice < 79) {
            String name = prefix + "p" + random.nextInt(OTHER_NAMES);
            return new Op("pool-delete", name, () -> engine.pools().delete(k8s, name));
        }
        if (dice < 86) {
            String name = prefix + "u" + random.nextInt(OTHER_NAMES);
            return new Op("user-apply", name, () -> engine.users().apply(k8s, userSpec(name)));
        }
        if (dice < 90) {
            String name = prefix + "u" + random.nextInt(OTHER_NAMES);
            return new Op("user-delete", name, () -> engine.users().delete(k8s, name));
        }
        if (dice < 96) {
            String name = prefix + "g" + random.nextInt(OTHER_NAMES);
            return new Op("group-apply", name, () -> engine.groups().apply(k8s, new GroupSpec(name, null, List.of(), false)));
        }
        String name = prefix + "g" + random.nextInt(OTHER_NAMES);
        return new Op("group-delete", name, () -> engine.groups().delete(k8s, name));
    }

    /** A pool with grants to some of the child's users and groups (which may or may not exist in the registry). */
    static PoolSpec poolSpec(String name, String prefix, Random random) {
        List<PoolSpec.AclGrant> grants = new ArrayList<>();
        if (random.nextBoolean()) grants.add(new PoolSpec.AclGrant(prefix + "g" + random.nextInt(OTHER_NAMES), null, "PVEVMUser"));
        if (random.nextBoolean()) grants.add(new PoolSpec.AclGrant(null, prefix + "u" + random.nextInt(OTHER_NAMES), "PVEAuditor"));
        return new PoolSpec(name, PoolSpec.Quotas.UNLIMITED, grants);
    }

    static UserSpec userSpec(String name) {
        return new UserSpec(name, "Crash", "Test", name + "@example.com", null, List.of(), null, null, null, List.of());
    }

    /** Called by the listener before each Proxmox request of any thread. */
    static void request(String what) {
        if (Thread.currentThread() != operating) {
            return;
        }
        if (parkAtNext) {
            park("request " + what);
        }
        requests++;
        lastRequest = what.replace(' ', '_');
        if (requests >= killAfterRequest) {
            parkAtNext = true; // this request is being sent: stop once it has returned
        }
    }

    /** Called by the driver before each statement, commit or rollback of any thread. */
    static void step(String what) {
        if (Thread.currentThread() != operating) {
            return; // start-up, pool housekeeping and the change feed are not operations
        }
        if (parkAtNext) {
            park(what);
        }
        steps++;
        stepsInOp++;
        if (afterIntent >= 0 && killAt == Long.MAX_VALUE && (what.startsWith("update_containers_set_intent")
                || what.startsWith("insert_into_engine_pool_intents"))) {
            killAt = steps + afterIntent;
        }
        if (steps >= killAt) {
            park(what);
        }
    }

    private static void park(String before) {
        System.out.println("PARKED step=" + steps + " kind=" + currentKind + " op=" + currentOp
                + " inOp=" + stepsInOp + " sql=" + before.replace(' ', '_')
                + " after=" + (parkAtNext ? lastRequest : "-"));
        System.out.flush();
        while (true) {
            LockSupport.park(); // until SIGKILL
        }
    }

    /** A parent that dies (even by SIGKILL) closes our stdin: halt rather than run on forever. */
    private static void dieWithParent() {
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent never writes; EOF means it is gone
                }
            } catch (IOException e) {
                // same as EOF
            }
            Runtime.getRuntime().halt(3);
        });
    }

    static ContainerSpec randomSpec(String name, Random random) {
        return randomSpec(name, random, null);
    }

    static ContainerSpec randomSpec(String name, Random random, String owner) {
        return ContainerSpec.builder(EngineFixture.SITE, name, "docker.io/library/nginx:1.27")
                .cores(1 + random.nextInt(2)).memoryMb(128 + 128L * random.nextInt(2)).swapMb(0)
                .diskGb(1 + random.nextInt(2)).env(Map.of("ROUND", String.valueOf(random.nextInt(3)))).owner(owner).build();
    }

    /**
     * The PostgreSQL driver behind dynamic proxies that call {@link #step} before every statement
     * execution, commit and rollback. It takes the real driver's place in {@link DriverManager},
     * so the engine (HikariCP, the change feed) uses it without knowing.
     */
    static final class StepDriver implements Driver {
        private final Driver real;

        private StepDriver(Driver real) {
            this.real = real;
        }

        static void install() throws SQLException {
            Driver real = DriverManager.getDriver("jdbc:postgresql:");
            for (Driver d : Collections.list(DriverManager.getDrivers())) {
                DriverManager.deregisterDriver(d);
            }
            DriverManager.registerDriver(new StepDriver(real));
        }

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            Connection c = real.connect(url, info);
            return c == null ? null : proxy(Connection.class, c, null);
        }

        /** @param sql the statement's text when it was prepared (null for connections and plain statements) */
        private static <T> T proxy(Class<T> type, Object target, String sql) {
            InvocationHandler handler = (p, m, a) -> invoke(target, m, a, sql);
            return type.cast(Proxy.newProxyInstance(CrashChild.class.getClassLoader(), new Class<?>[] {type}, handler));
        }

        private static Object invoke(Object target, Method m, Object[] args, String preparedSql) throws Throwable {
            String name = m.getName();
            if (name.startsWith("execute")) {
                step(args != null && args.length > 0 && args[0] instanceof String sql ? summary(sql)
                        : preparedSql != null ? summary(preparedSql) : name);
            } else if (name.equals("commit") || name.equals("rollback")) {
                step(name);
            }
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            Object result;
            try {
                result = m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof CallableStatement cs) {
                return proxy(CallableStatement.class, cs, sql);
            }
            if (result instanceof PreparedStatement ps) {
                return proxy(PreparedStatement.class, ps, sql);
            }
            if (result instanceof Statement st && m.getReturnType() == Statement.class) {
                return proxy(Statement.class, st, null);
            }
            return result;
        }

        private static String summary(String sql) {
            String s = sql.strip().replaceAll("\\s+", " ");
            return (s.length() > 60 ? s.substring(0, 60) : s).replace(' ', '_');
        }

        @Override
        public boolean acceptsURL(String url) throws SQLException {
            return real.acceptsURL(url);
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
            return real.getPropertyInfo(url, info);
        }

        @Override
        public int getMajorVersion() {
            return real.getMajorVersion();
        }

        @Override
        public int getMinorVersion() {
            return real.getMinorVersion();
        }

        @Override
        public boolean jdbcCompliant() {
            return real.jdbcCompliant();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return real.getParentLogger();
        }
    }
}
