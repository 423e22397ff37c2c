package io.proxplane.core.proxmox;

import io.proxplane.core.proxmox.model.AclEntry;
import io.proxplane.core.proxmox.model.AclUpdate;
import io.proxplane.core.proxmox.model.Role;
import java.util.List;

/** ACL entries ({@code /access/acl}) and roles ({@code /access/roles}). */
public final class AclApi {

    private final Transport transport;

    AclApi(Transport transport) {
        this.transport = transport;
    }

    /** Entries on paths the caller may modify (all of them with Sys.Audit on /access). */
    public List<AclEntry> list() {
        return Json.elements(transport.call("GET", "/access/acl").data()).stream()
                .map(n -> new AclEntry(Json.text(n, "path"), Json.text(n, "type"), Json.text(n, "ugid"),
                        Json.text(n, "roleid"), Json.bool(n, "propagate", true)))
                .toList();
    }

    /** Adds or (with {@link AclUpdate#revoke()}) removes entries. */
    public void update(AclUpdate update) {
        transport.call("PUT", "/access/acl").params(update.toParams()).data();
    }

    public List<Role> roles() {
        return Json.elements(transport.call("GET", "/access/roles").data()).stream()
                .map(n -> new Role(Json.text(n, "roleid"), Json.list(n, "privs", ","), Json.bool(n, "special", false)))
                .toList();
    }
}
