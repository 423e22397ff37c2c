package io.proxplane.core.proxmox;

import io.proxplane.core.proxmox.model.RealmSyncOptions;
import io.proxplane.core.proxmox.model.Upid;

/** Authentication realms. */
public final class RealmsApi {

    private final Transport transport;

    RealmsApi(Transport transport) {
        this.transport = transport;
    }

    /**
     * Syncs users and/or groups of an LDAP/AD realm into Proxmox (synced groups are named
     * {@code <name>-<realm>}). Starts a task.
     */
    public Upid sync(String realm, RealmSyncOptions options) {
        if (realm == null || !realm.matches("[A-Za-z][A-Za-z0-9.\\-_]+") || realm.length() > 32) {
            throw new IllegalArgumentException("realm: letters, digits, '.', '-', '_' starting with a letter, got '" + realm + "'");
        }
        return Upid.parse(transport.call("POST", "/access/domains/{realm}/sync", realm)
                .params(options.toParams()).idempotent().data().asText());
    }
}
