package io.proxplane.core.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxplane.core.proxmox.model.User;
import io.proxplane.core.proxmox.model.UserRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Users ({@code /access/users}). */
public final class UsersApi {

    private final Transport transport;

    UsersApi(Transport transport) {
        this.transport = transport;
    }

    /** All users visible to the caller; with {@code full} also groups and tokens. */
    public List<User> list(boolean full) {
        JsonNode data = transport.call("GET", "/access/users").param("full", full ? Boolean.TRUE : null).data();
        return Json.elements(data).stream().map(n -> user(Json.text(n, "userid"), n)).toList();
    }

    public User get(String userid) {
        return user(userid, transport.call("GET", "/access/users/{userid}", userid).data());
    }

    /** AlreadyExistsException if the user exists. */
    public void create(UserRequest request) {
        transport.call("POST", "/access/users").params(request.toCreateParams()).data();
    }

    public void update(UserRequest request) {
        transport.call("PUT", "/access/users/{userid}", request.userid()).params(request.toUpdateParams()).data();
    }

    /** Also removes the user's ACL entries and tokens. */
    public void delete(String userid) {
        transport.call("DELETE", "/access/users/{userid}", userid).idempotent().data();
    }

    static User user(String userid, JsonNode n) {
        List<User.TokenInfo> tokens = new ArrayList<>();
        JsonNode t = n.get("tokens");
        if (t != null && t.isArray()) { // list: [{tokenid, ...}]
            t.forEach(e -> tokens.add(token(Json.text(e, "tokenid"), e)));
        } else if (t != null && t.isObject()) { // single user: {"name": {...}}
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                tokens.add(token(e.getKey(), e.getValue()));
            }
        }
        Long expire = Json.lng(n, "expire");
        return new User(userid, Json.bool(n, "enable", true), expire == null ? 0 : expire, Json.text(n, "firstname"),
                Json.text(n, "lastname"), Json.text(n, "email"), Json.text(n, "comment"), Json.list(n, "groups", ","), tokens);
    }

    private static User.TokenInfo token(String id, JsonNode n) {
        Long expire = Json.lng(n, "expire");
        return new User.TokenInfo(id, Json.bool(n, "privsep", true), expire == null ? 0 : expire, Json.text(n, "comment"));
    }
}
