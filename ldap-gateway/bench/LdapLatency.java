import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latency percentiles for one LDAP server, which SearchRate/AuthRate do not report: each of
 * THREADS clients holds one connection and issues back-to-back operations (closed loop, like
 * SSSD's and nslcd's connections), every operation's latency is recorded, and after a warm-up the
 * measured interval's percentiles are printed as one line:
 *   test threads ops/s p50_ms p95_ms p99_ms p999_ms max_ms errors
 * Run with the SDK on the class path (single-file source launcher):
 *   java -cp unboundid-ldapsdk.jar LdapLatency.java PORT BASE search|bind THREADS WARMUP_S MEASURE_S USERS
 * Bounded in time (the given seconds) and memory (at most 8 million samples in all, 200,000 per thread).
 */
public class LdapLatency {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        String base = a[1];
        String test = a[2];
        int threads = Integer.parseInt(a[3]);
        long warmupNs = Long.parseLong(a[4]) * 1_000_000_000L;
        long measureNs = Long.parseLong(a[5]) * 1_000_000_000L;
        int users = Integer.parseInt(a[6]);
        String[] attrs = {"uid", "uidNumber", "gidNumber", "cn", "homeDirectory", "loginShell", "gecos", "objectClass"};
        List<long[]> samples = new ArrayList<>();
        int[] counts = new int[threads];
        AtomicLong errors = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] window = new long[2];
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[Math.max(200_000, 8_000_000 / threads)];
            samples.add(mine);
            int id = t;
            Thread w = new Thread(() -> {
                try (LDAPConnection c = new LDAPConnection("127.0.0.1", port)) {
                    ready.countDown();
                    go.await();
                    int n = 0;
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= window[1]) break;
                        int u = ThreadLocalRandom.current().nextInt(users);
                        boolean ok;
                        long start = System.nanoTime();
                        if (test.equals("search")) {
                            SearchResult r = c.search(new SearchRequest(base, SearchScope.SUB, "(uid=user" + u + ")", attrs));
                            ok = r.getResultCode() == ResultCode.SUCCESS && r.getEntryCount() == 1;
                        } else {
                            ok = c.bind("uid=user" + u + ",ou=people," + base, "password").getResultCode() == ResultCode.SUCCESS;
                        }
                        long end = System.nanoTime();
                        if (!ok) errors.incrementAndGet();
                        if (start >= window[0] && n < mine.length) mine[n++] = end - start;
                    }
                    counts[id] = n;
                } catch (Exception e) {
                    errors.incrementAndGet();
                    System.err.println("worker " + id + ": " + e);
                }
            });
            workers.add(w);
            w.start();
        }
        ready.await();
        window[0] = System.nanoTime() + warmupNs;
        window[1] = window[0] + measureNs;
        go.countDown();
        for (Thread w : workers) w.join();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(samples.get(t), 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        System.out.printf("%s %d %.0f %.3f %.3f %.3f %.3f %.3f %d%n", test, threads, total / (measureNs / 1e9),
                pct(all, 0.50), pct(all, 0.95), pct(all, 0.99), pct(all, 0.999),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6, errors.get());
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
