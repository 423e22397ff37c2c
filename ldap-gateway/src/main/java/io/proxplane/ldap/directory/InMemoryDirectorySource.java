package io.proxplane.ldap.directory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A mutable directory kept in memory; every change fires the change listeners like a registry notification. */
public final class InMemoryDirectorySource implements DirectorySource {
    private final Map<String, DirectoryUser> users = new LinkedHashMap<>();
    private final Map<String, DirectoryGroup> groups = new LinkedHashMap<>();
    private final Map<String, ServiceAccount> services = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    public synchronized InMemoryDirectorySource putUser(DirectoryUser user) {
        users.put(user.uid(), user);
        fire();
        return this;
    }

    public synchronized InMemoryDirectorySource putGroup(DirectoryGroup group) {
        groups.put(group.name(), group);
        fire();
        return this;
    }

    public synchronized InMemoryDirectorySource putServiceAccount(ServiceAccount account) {
        services.put(account.name(), account);
        fire();
        return this;
    }

    public synchronized InMemoryDirectorySource replaceAll(DirectoryData data) {
        users.clear();
        groups.clear();
        services.clear();
        data.users().forEach(u -> users.put(u.uid(), u));
        data.groups().forEach(g -> groups.put(g.name(), g));
        data.serviceAccounts().forEach(s -> services.put(s.name(), s));
        fire();
        return this;
    }

    public synchronized DirectoryUser user(String uid) {
        return users.get(uid);
    }

    /** Simulates the database being down: {@link #load()} throws until set back to false. */
    public void setFailing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public synchronized DirectoryData load() {
        if (failing) throw new IllegalStateException("directory source unavailable (simulated outage)");
        return new DirectoryData(new ArrayList<>(users.values()), new ArrayList<>(groups.values()),
                new ArrayList<>(services.values()));
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void updatePassword(String uid, String passwordHash, Instant changedAt) {
        DirectoryUser user = users.get(uid);
        if (user == null) throw new IllegalArgumentException("no such user: " + uid);
        users.put(uid, user.withPassword(passwordHash, changedAt));
        fire();
    }

    private void fire() {
        listeners.forEach(Runnable::run);
    }
}
