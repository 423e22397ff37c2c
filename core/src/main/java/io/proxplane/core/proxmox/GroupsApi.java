package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.model.Group;
import java.util.List;

/** Groups ({@code /access/groups}). Membership is changed through {@link UsersApi} ({@code groups}). */
public final class GroupsApi {

    private final Transport transport;

    GroupsApi(Transport transport) {
        this.transport = transport;
    }

    public List<Group> list() {
        return Json.elements(transport.call("GET", "/access/groups").data()).stream()
                .map(n -> new Group(Json.text(n, "groupid"), Json.text(n, "comment"), Json.list(n, "users", ",")))
                .toList();
    }

    public Group get(String groupid) {
        JsonNode n = transport.call("GET", "/access/groups/{groupid}", groupid).data();
        return new Group(groupid, Json.text(n, "comment"), Json.list(n, "members", ","));
    }

    /** {@code comment} may be null. AlreadyExistsException if the group exists. */
    public void create(String groupid, String comment) {
        transport.call("POST", "/access/groups").param("groupid", groupid).param("comment", comment).data();
    }

    public void update(String groupid, String comment) {
        transport.call("PUT", "/access/groups/{groupid}", groupid).param("comment", comment == null ? "" : comment).data();
    }

    public void delete(String groupid) {
        transport.call("DELETE", "/access/groups/{groupid}", groupid).idempotent().data();
    }
}
