package io.proxplane.core.engine;

import io.proxplane.core.engine.spec.ContainerServiceSpec;
import io.proxplane.core.engine.spec.ContainerSpec;
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
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The engine in a child JVM for {@link CrashTest}: converges random creates, updates and deletes
 * of its own containers until it reaches its kill point, then stops dead and waits for the
 * parent's SIGKILL.
 *
 * <p>The kill point is a count of registry steps, not a moment: every SQL statement, commit and
 * rollback the operating thread sends is a step, and the child parks its operating thread just
 * before its kill step and prints {@code PARKED step=.. kind=.. op=.. inOp=.. sql=..}. The kill
 * point is {@code step:N} (the N-th step after start-up) or {@code intent:D} (D steps after the
 * first statement that writes a container's intent: the narrow window around a Proxmox create or
 * destroy, which uniform steps would rarely hit). Every Proxmox call the engine makes lies between
 * two registry steps, so every distinct crash state of registry and cluster is reachable this way,
 * whatever the machine's speed. {@code exit} stops after start-up.
 *
 * <p>Output protocol (stdout): {@code READY}, then per operation {@code BEGIN kind name},
 * {@code OK kind name steps=N} or {@code ERR message}, and finally {@code PARKED ...}.
 * The child halts by itself when its stdin closes, so it never outlives the test JVM.
 * Args: jdbcUrl simBaseUrl simFingerprint prefix seed killPoint.
 */
public final class CrashChild {
    static final int NAMES = 4;

    /** Where the operating thread is: set before each operation, read when it parks. */
    private static volatile String currentOp = "none";
    private static volatile String currentKind = "none";
    private static volatile int stepsInOp;
    private static volatile Thread operating;
    private static long killAt = Long.MAX_VALUE;
    /** For intent:D, the steps to go after the first intent write; -1 otherwise. */
    private static long afterIntent = -1;
    private static long steps;

    public static void main(String[] args) throws Exception {
        dieWithParent();
        String prefix = args[3];
        Random random = new Random(Long.parseLong(args[4]));
        String killPoint = args[5];
        if (killPoint.startsWith("step:")) {
            killAt = Long.parseLong(killPoint.substring(5));
        } else if (killPoint.startsWith("intent:")) {
            afterIntent = Long.parseLong(killPoint.substring(7));
        } else if (!killPoint.equals("exit")) {
            throw new IllegalArgumentException("killPoint: '" + killPoint + "' must be step:N, intent:D or exit");
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
            System.out.println("READY");
            System.out.flush();
            if (killPoint.equals("exit")) {
                return;
            }
            operating = Thread.currentThread();
            while (true) {
                String name = prefix + random.nextInt(NAMES);
                boolean delete = random.nextInt(4) == 0;
                currentOp = name;
                currentKind = delete ? "delete" : "apply";
                stepsInOp = 0;
                System.out.println("BEGIN " + currentKind + " " + name);
                try {
                    if (delete) {
                        engine.containers().delete(EngineFixture.K8S, EngineFixture.SITE, name);
                    } else {
                        engine.containers().apply(EngineFixture.K8S, randomSpec(name, random));
                        engine.services().apply(EngineFixture.K8S,
                                ContainerServiceSpec.tcp(EngineFixture.SITE, name, "ssh", 22, null));
                    }
                    System.out.println("OK " + currentKind + " " + name + " steps=" + stepsInOp);
                } catch (RuntimeException e) {
                    // conflicts and transient failures are normal here; the next round converges
                    System.out.println("ERR " + e.getMessage());
                }
            }
        }
    }

    /** Called by the driver before each statement, commit or rollback of any thread. */
    static void step(String what) {
        if (Thread.currentThread() != operating) {
            return; // start-up, pool housekeeping and the change feed are not operations
        }
        steps++;
        stepsInOp++;
        if (afterIntent >= 0 && killAt == Long.MAX_VALUE && what.startsWith("update_containers_set_intent")) {
            killAt = steps + afterIntent;
        }
        if (steps >= killAt) {
            System.out.println("PARKED step=" + steps + " kind=" + currentKind + " op=" + currentOp
                    + " inOp=" + stepsInOp + " sql=" + what);
            System.out.flush();
            while (true) {
                LockSupport.park(); // until SIGKILL
            }
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
        return ContainerSpec.builder(EngineFixture.SITE, name, "docker.io/library/nginx:1.27")
                .cores(1 + random.nextInt(2)).memoryMb(128 + 128L * random.nextInt(2)).swapMb(0)
                .diskGb(1 + random.nextInt(2)).env(Map.of("ROUND", String.valueOf(random.nextInt(3)))).build();
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
