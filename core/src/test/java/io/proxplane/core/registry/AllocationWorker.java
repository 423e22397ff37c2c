package io.proxplane.core.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs allocations from several threads and reports every value it was given, one per line
 * ("ip 10.70.0.11"). Used in-process by {@link AllocatorConcurrencyTest} and as the main class of
 * the second JVM it starts.
 */
public final class AllocationWorker {
    static final Set<Integer> PROXMOX_VMIDS = Set.of(100, 101, 102, 105, 110, 111);

    private AllocationWorker() {}

    /** args: jdbcUrl user siteId prefix threads perThread */
    public static void main(String[] args) throws Exception {
        RegistryConfig config = new RegistryConfig(args[0], args[1], null, 6, null, null);
        try (Registry registry = Registry.open(config)) {
            System.out.println("ready");
            System.out.flush();
            // Wait for the parent's "go" so that both JVMs start allocating together.
            String go = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            if (!"go".equals(go)) {
                throw new IllegalStateException("expected 'go' on stdin, got " + go);
            }
            List<String> lines = run(registry, Long.parseLong(args[2]), args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), new CountDownLatch(0));
            lines.forEach(System.out::println);
            System.out.println("done");
        }
    }

    static List<String> run(Registry registry, long siteId, String prefix, int threads, int perThread,
                            CountDownLatch start) throws Exception {
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        allocateOne(registry, siteId, prefix + "-" + thread + "-" + i, out);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static void allocateOne(Registry registry, long siteId, String name, List<String> out) {
        String manager = "k8s:stress/" + name;
        Container ct = registry.containers().upsert(manager, Fixtures.container(siteId, name));
        ContainerAddresses a = registry.allocators().reserveContainerAddresses(manager, siteId, ct.id(), PROXMOX_VMIDS);
        out.add("ip " + a.ipv4());
        out.add("mac " + a.mac());
        out.add("vmid " + a.vmid());
        out.add("tcp " + registry.services().upsert(manager, ServiceSpec.tcp(ct.id(), "ssh", 22, null)).externalPort());
        out.add("udp " + registry.services().upsert(manager, ServiceSpec.udp(ct.id(), "dns", 53, null)).externalPort());
        String account = name.replace('-', '_');
        out.add("uid " + registry.users().upsert(manager,
                new UserSpec(account, null, null, null, null, null, null, null, null, null)).uid());
        // users and groups share one name space (a user's private group is named after it)
        out.add("gid " + registry.groups().upsert(manager, new GroupSpec(account + "_g", null, false)).gid());
    }
}
