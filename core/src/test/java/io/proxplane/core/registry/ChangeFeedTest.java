package io.proxplane.core.registry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.proxplane.core.registry.Fixtures.K8S;
import static org.assertj.core.api.Assertions.assertThat;

class ChangeFeedTest {
    static TestDatabase database;
    static Registry registry;

    @BeforeAll
    static void open() {
        database = TestDatabase.create();
        registry = Registry.open(database.config());
    }

    @AfterAll
    static void close() {
        registry.close();
        database.close();
    }

    /** Records everything the feed delivers, in order. */
    static final class Recorder implements ChangeListener {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

        @Override
        public void onChange(RegistryChange change) {
            events.add(change);
        }

        @Override
        public void onResync(String reason) {
            events.add("resync: " + reason);
        }

        Object next() throws InterruptedException {
            Object e = events.poll(15, TimeUnit.SECONDS);
            assertThat(e).as("an event within 15 s").isNotNull();
            return e;
        }

        RegistryChange nextChange() throws InterruptedException {
            Object e = next();
            assertThat(e).isInstanceOf(RegistryChange.class);
            return (RegistryChange) e;
        }
    }

    @Test
    void deliversCommittedChangesAndResyncsAfterTheConnectionIsKilled() throws Exception {
        Recorder rec = new Recorder();
        try (ChangeFeed feed = registry.changeFeed(rec)) {
            assertThat(rec.next()).isEqualTo("resync: listening");
            int firstPid = feed.backendPid();

            Site site = registry.sites().upsert(K8S, Fixtures.site("feed", "10.60.0.0/24", "10.60.0.1", null, null, List.of()));
            assertThat(rec.nextChange()).isEqualTo(new RegistryChange("sites", "insert", site.id(), site.meta().revision()));

            // rolled back: nothing is delivered
            try (Connection c = database.connect()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("update sites set bridge = 'vmbr7' where id = " + site.id());
                }
                c.rollback();
            }
            Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "web"));
            assertThat(rec.nextChange()).isEqualTo(new RegistryChange("containers", "insert", ct.id(), ct.meta().revision()));

            ContainerAddresses a = registry.allocators().reserveContainerAddresses(K8S, site.id(), ct.id(), java.util.Set.of());
            RegistryChange allocated = rec.nextChange();
            assertThat(allocated.table()).isEqualTo("containers");
            assertThat(allocated.op()).isEqualTo("update");
            assertThat(allocated.revision()).isEqualTo(registry.currentRevision());
            assertThat(a.ipv4()).isNotNull();

            // Kill the listening backend: the feed must notice, reconnect and ask for a resync.
            try (Connection c = database.connect(); Statement st = c.createStatement()) {
                st.execute("select pg_terminate_backend(" + firstPid + ")");
            }
            assertThat(rec.next()).isEqualTo("resync: reconnected; notifications may have been missed");
            assertThat(feed.backendPid()).isPositive().isNotEqualTo(firstPid);

            registry.containers().delete(K8S, ct.id());
            RegistryChange deleted = rec.nextChange();
            assertThat(deleted.table()).isEqualTo("containers");
            assertThat(deleted.op()).isEqualTo("delete");
            assertThat(deleted.id()).isEqualTo(ct.id());
            assertThat(deleted.revision()).isGreaterThan(allocated.revision());
            assertThat(rec.events.poll(300, TimeUnit.MILLISECONDS)).as("nothing else").isNull();
        }
    }

    @Test
    void oneTransactionSharesOneRevisionAcrossRows() throws Exception {
        Recorder rec = new Recorder();
        try (ChangeFeed feed = registry.changeFeed(rec)) {
            assertThat(rec.next()).isEqualTo("resync: listening");
            Site site = registry.sites().upsert(K8S, Fixtures.site("multi", "10.61.0.0/24", "10.61.0.1", null, null, List.of()));
            rec.nextChange();
            Container ct = registry.containers().upsert(K8S, Fixtures.container(site.id(), "db"));
            rec.nextChange();
            registry.services().upsert(K8S, ServiceSpec.tcp(ct.id(), "pg", 5432, null));
            rec.nextChange();
            // deleting the container cascades to its service: two rows, one transaction, one revision
            registry.containers().delete(K8S, ct.id());
            RegistryChange a = rec.nextChange();
            RegistryChange b = rec.nextChange();
            assertThat(List.of(a.table(), b.table())).containsExactlyInAnyOrder("containers", "services");
            assertThat(a.revision()).isEqualTo(b.revision());
            assertThat(feed.isConnected()).isTrue();
        }
    }
}
