package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.error.NotFoundException;
import io.proxplane.core.proxmox.model.Pool;
import io.proxplane.core.proxmox.model.PoolUpdate;
import java.util.List;
import java.util.regex.Pattern;

/** Resource pools, through the PVE 8.1+ {@code /pools?poolid=} API (supports nested pools). */
public final class PoolsApi {

    private static final Pattern POOLID = Pattern.compile("[A-Za-z0-9.\\-_]+(?:/[A-Za-z0-9.\\-_]+){0,2}");

    private final Transport transport;

    PoolsApi(Transport transport) {
        this.transport = transport;
    }

    /** All pools visible to the caller, without members. */
    public List<Pool> list() {
        return Json.elements(transport.call("GET", "/pools").data()).stream().map(PoolsApi::pool).toList();
    }

    /** One pool with its members. */
    public Pool get(String poolid) {
        JsonNode data = transport.call("GET", "/pools").param("poolid", check(poolid)).data();
        List<JsonNode> pools = Json.elements(data);
        if (pools.isEmpty()) {
            throw new NotFoundException("GET", "/pools?poolid=" + poolid, 200, "pool '" + poolid + "' does not exist");
        }
        return pool(pools.getFirst());
    }

    /** Creates a pool; AlreadyExistsException if it exists. {@code comment} may be null. */
    public void create(String poolid, String comment) {
        transport.call("POST", "/pools").param("poolid", check(poolid)).param("comment", comment).data();
    }

    public void update(PoolUpdate update) {
        check(update.poolid());
        // Not idempotent: a repeated add fails with "already a pool member" after a lost answer.
        transport.call("PUT", "/pools").params(update.toParams()).nonIdempotent().data();
    }

    /** Deletes an empty pool. */
    public void delete(String poolid) {
        transport.call("DELETE", "/pools").param("poolid", check(poolid)).idempotent().data();
    }

    private static String check(String poolid) {
        if (poolid == null || !POOLID.matcher(poolid).matches()) {
            throw new IllegalArgumentException("poolid: letters, digits, '.', '-', '_' (nested up to 3 levels with '/'), got '"
                    + poolid + "'");
        }
        return poolid;
    }

    static Pool pool(JsonNode n) {
        List<Pool.Member> members = Json.elements(n.get("members")).stream()
                .map(m -> new Pool.Member(Json.text(m, "id"), Json.text(m, "type"), Json.text(m, "node"),
                        Json.integer(m, "vmid"), Json.text(m, "storage"), Json.text(m, "name"), Json.text(m, "status")))
                .toList();
        return new Pool(Json.text(n, "poolid"), Json.text(n, "comment"), members);
    }
}
