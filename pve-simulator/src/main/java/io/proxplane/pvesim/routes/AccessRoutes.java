package io.proxplane.pvesim.routes;

import static io.proxplane.pvesim.api.Param.bool;
import static io.proxplane.pvesim.api.Param.integer;
import static io.proxplane.pvesim.api.Param.str;
import static io.proxplane.pvesim.routes.PermCheck.and;
import static io.proxplane.pvesim.routes.PermCheck.any;
import static io.proxplane.pvesim.routes.PermCheck.or;
import static io.proxplane.pvesim.routes.PermCheck.perm;

import io.proxplane.pvesim.api.ApiException;
import io.proxplane.pvesim.api.Formats;
import io.proxplane.pvesim.api.Param;
import io.proxplane.pvesim.auth.Roles;
import io.proxplane.pvesim.auth.Subject;
import io.proxplane.pvesim.state.AclEntry;
import io.proxplane.pvesim.state.ClusterState;
import io.proxplane.pvesim.state.Group;
import io.proxplane.pvesim.state.Realm;
import io.proxplane.pvesim.state.Token;
import io.proxplane.pvesim.state.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** pve-access-control: tickets, realms, users, tokens, groups, ACLs, roles, permissions. */
final class AccessRoutes {
    private AccessRoutes() {}

    private static final String TOKEN_NAME = "(?:[A-Za-z][A-Za-z0-9\\.\\-_]+)";
    private static final Pattern ACL_PATH = Pattern.compile(
            "/|/access(/groups(/[^/]+)?|/realm(/[^/]+)?)?|/nodes(/[^/]+)?|/pool(/[^/]+){0,3}|/storage(/[^/]+)?|/vms(/\\d+)?"
                    + "|/sdn(/.+)?|/mapping(/.+)?");

    static List<Route> routes() {
        Param userid = str("userid").req().format("pve-userid").maxLen(64);
        Param tokenid = str("tokenid").req().pattern(TOKEN_NAME);
        PermCheck selfOrUserModify = or(AccessRoutes::useridSelf, userGroup(false, "User.Modify"));
        return List.of(
                Route.of("POST", "/access/ticket").prot().noToken().world()
                        .params(bool("new-format"), str("otp"), str("password").req(), str("path").maxLen(64).requires("privs"),
                                str("privs").format("pve-priv-list").maxLen(64).requires("path"),
                                str("realm").format("pve-realm").maxLen(32), str("tfa-challenge"), str("username").req().maxLen(64))
                        .handle(AccessRoutes::ticket),
                Route.of("GET", "/access/domains").world().handle(AccessRoutes::domains),
                Route.of("POST", "/access/domains/{realm}/sync").prot()
                        .params(bool("dry-run"), bool("enable-new"), bool("full"), bool("purge"),
                                str("realm").req().format("pve-realm").maxLen(32),
                                str("remove-vanished").pattern("(?:(?:(?:acl|properties|entry);)*(?:acl|properties|entry))|none"),
                                str("scope").enums("users", "groups", "both"))
                        .perm(and(perm("/access/realm/{realm}", "Realm.AllocateUser"), perm("/access/groups", "User.Modify")))
                        .handle(AccessRoutes::syncRealm),
                Route.of("GET", "/access/permissions")
                        .params(str("path"), str("userid").pattern(
                                "(?:^(?:[^\\s:/]+)\\@(?:[A-Za-z][A-Za-z0-9\\.\\-_]+)(?:!(?:[A-Za-z][A-Za-z0-9\\.\\-_]+))?$)"))
                        .handle(AccessRoutes::permissions),
                Route.of("GET", "/access/users").prot().params(bool("enabled"), bool("full")).handle(AccessRoutes::listUsers),
                Route.of("POST", "/access/users").prot()
                        .params(str("comment").maxLen(2048), str("email").format("email-opt").maxLen(254), bool("enable"),
                                integer("expire").min(0), str("firstname").maxLen(1024), str("groups").format("pve-groupid-list"),
                                str("keys").pattern("[0-9a-zA-Z!=]{0,4096}"), str("lastname").maxLen(1024),
                                str("password").minLen(8).maxLen(64), userid)
                        .perm(and(realmAllocateUser(), userGroup(true, "User.Modify")))
                        .handle(AccessRoutes::createUser),
                Route.of("GET", "/access/users/{userid}").params(userid)
                        .perm(userGroup(false, "User.Modify", "Sys.Audit")).handle(AccessRoutes::readUser),
                Route.of("PUT", "/access/users/{userid}").prot()
                        .params(bool("append").requires("groups"), str("comment").maxLen(2048),
                                str("email").format("email-opt").maxLen(254), bool("enable"), integer("expire").min(0),
                                str("firstname").maxLen(1024), str("groups").format("pve-groupid-list"),
                                str("keys").pattern("[0-9a-zA-Z!=]{0,4096}"), str("lastname").maxLen(1024), userid)
                        .perm(userGroup(true, "User.Modify")).handle(AccessRoutes::updateUser),
                Route.of("DELETE", "/access/users/{userid}").prot().params(userid)
                        .perm(and(realmAllocateUser(), userGroup(false, "User.Modify"))).handle(AccessRoutes::deleteUser),
                Route.of("GET", "/access/users/{userid}/token").params(userid).perm(selfOrUserModify)
                        .handle(AccessRoutes::listTokens),
                Route.of("GET", "/access/users/{userid}/token/{tokenid}").params(tokenid, userid).perm(selfOrUserModify)
                        .handle(AccessRoutes::readToken),
                Route.of("POST", "/access/users/{userid}/token/{tokenid}").prot()
                        .params(str("comment"), integer("expire").min(0), bool("privsep"), tokenid, userid)
                        .perm(selfOrUserModify).handle(AccessRoutes::createToken),
                Route.of("PUT", "/access/users/{userid}/token/{tokenid}").prot()
                        .params(str("comment"), str("delete").format("pve-configid-list"), integer("expire").min(0),
                                bool("privsep"), tokenid, userid)
                        .perm(selfOrUserModify).handle(AccessRoutes::updateToken),
                Route.of("DELETE", "/access/users/{userid}/token/{tokenid}").prot().params(tokenid, userid)
                        .perm(selfOrUserModify).handle(AccessRoutes::deleteToken),
                Route.of("PUT", "/access/password").prot().noToken()
                        .params(str("confirmation-password").minLen(5).maxLen(64), str("password").req().minLen(8).maxLen(64), userid)
                        .perm(or(AccessRoutes::useridSelf, and(realmAllocateUser(), userGroup(false, "User.Modify"))))
                        .handle(AccessRoutes::changePassword),
                Route.of("GET", "/access/groups").handle(AccessRoutes::listGroups),
                Route.of("POST", "/access/groups").prot().params(str("comment"), str("groupid").req().format("pve-groupid"))
                        .perm(perm("/access/groups", "Group.Allocate")).handle(AccessRoutes::createGroup),
                Route.of("GET", "/access/groups/{groupid}").params(str("groupid").req().format("pve-groupid"))
                        .perm(any("/access/groups", "Sys.Audit", "Group.Allocate")).handle(AccessRoutes::readGroup),
                Route.of("PUT", "/access/groups/{groupid}").prot().params(str("comment"), str("groupid").req().format("pve-groupid"))
                        .perm(perm("/access/groups", "Group.Allocate")).handle(AccessRoutes::updateGroup),
                Route.of("DELETE", "/access/groups/{groupid}").prot().params(str("groupid").req().format("pve-groupid"))
                        .perm(perm("/access/groups", "Group.Allocate")).handle(AccessRoutes::deleteGroup),
                Route.of("GET", "/access/acl").handle(AccessRoutes::readAcl),
                Route.of("PUT", "/access/acl").prot()
                        .params(bool("delete"), str("groups").format("pve-groupid-list"), str("path").req(), bool("propagate"),
                                str("roles").req().format("pve-roleid-list"), str("tokens").format("pve-tokenid-list"),
                                str("users").format("pve-userid-list"))
                        .perm(c -> {
                            if (!c.engine().perms().canModifyPermissions(c.subject(), c.str("path", "/"))) {
                                throw ApiException.forbidden(c.str("path", "/") + ", Permissions.Modify");
                            }
                        })
                        .handle(AccessRoutes::updateAcl),
                Route.of("GET", "/access/roles").handle(AccessRoutes::listRoles),
                Route.of("GET", "/access/roles/{roleid}").params(str("roleid").req().format("pve-roleid")).handle(AccessRoutes::readRole));
    }

    // ----- permission helpers (PVE check language) -----

    private static String realmOf(String userid) {
        return userid == null || !userid.contains("@") ? "" : userid.substring(userid.lastIndexOf('@') + 1);
    }

    /** ["userid-param", "self"]. */
    private static void useridSelf(Call c) {
        if (!c.subject().userid().equals(c.str("userid"))) throw ApiException.forbidden(null);
    }

    /** ["userid-param", "Realm.AllocateUser"]. */
    private static PermCheck realmAllocateUser() {
        return c -> c.engine().perms().checkAll(c.subject(), "/access/realm/" + realmOf(c.str("userid")), "Realm.AllocateUser");
    }

    /**
     * ["userid-group", privs, ("groups_param", ...)]: the privileges on /access/groups, or on a group
     * the user is in; with groups_param also on every group named in the request.
     */
    private static PermCheck userGroup(boolean groupsParam, String... privs) {
        return c -> {
            Engine e = c.engine();
            Subject s = c.subject();
            boolean ok = e.perms().hasAny(s, "/access/groups", privs);
            if (!ok) {
                User u = e.state().users.get(c.str("userid"));
                if (u != null) {
                    for (String g : u.groups) if (e.perms().hasAny(s, "/access/groups/" + g, privs)) ok = true;
                }
            }
            if (groupsParam && c.has("groups")) {
                for (String g : Formats.splitList(c.str("groups"))) {
                    if (!e.perms().hasAny(s, "/access/groups/" + g, privs)) throw ApiException.forbidden(null);
                }
                if (!Formats.splitList(c.str("groups")).isEmpty() && !c.engine().state().users.containsKey(c.str("userid"))) ok = true;
            }
            if (!ok) throw ApiException.forbidden(null);
        };
    }

    // ----- tickets and realms -----

    private static Object ticket(Call c) {
        Engine e = c.engine();
        String username = c.str("username");
        if (c.has("realm") && !username.contains("@")) username = username + "@" + c.str("realm");
        String password = c.str("password");
        String user = username;
        boolean ok;
        if (password.startsWith("PVE:")) {
            String ticketUser = e.tickets().verifyTicket(password);
            ok = user.equals(ticketUser);
        } else {
            synchronized (e.state()) {
                User u = e.state().users.get(user);
                ok = u != null && u.password != null && u.password.equals(password);
            }
        }
        synchronized (e.state()) {
            User u = e.state().users.get(user);
            ok = ok && u != null && u.enable && (u.expire == 0 || u.expire > e.now());
        }
        if (!ok) throw unauthorized(e, "authentication failure");
        if (c.has("path")) {
            Subject s = new Subject(user, null, true);
            synchronized (e.state()) {
                for (String priv : Formats.splitList(c.str("privs"))) {
                    if (!e.perms().has(s, c.str("path"), priv)) throw unauthorized(e, "authentication failure");
                }
            }
            return Map.of("username", user);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", user);
        m.put("ticket", e.tickets().createTicket(user));
        m.put("CSRFPreventionToken", e.tickets().createCsrfToken(user));
        synchronized (e.state()) {
            m.put("cap", capabilities(e, new Subject(user, null, true)));
            if (e.state().nodes.size() > 1) m.put("clustername", e.state().clusterName);
        }
        return m;
    }

    private static ApiException unauthorized(Engine e, String msg) {
        try {
            Thread.sleep(e.config().unauthorizedDelay());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return new ApiException(401, msg);
    }

    /** The GUI's capability map: privileges per top-level area. */
    private static Map<String, Object> capabilities(Engine e, Subject s) {
        Map<String, Object> cap = new LinkedHashMap<>();
        Map<String, String> areas = Map.of("vms", "/vms", "storage", "/storage", "access", "/access/groups", "nodes", "/nodes",
                "dc", "/", "sdn", "/sdn", "mapping", "/mapping");
        Map<String, String> prefixes = Map.of("vms", "VM.", "storage", "Datastore.", "access", "", "nodes", "Sys.",
                "dc", "", "sdn", "SDN.", "mapping", "Mapping.");
        for (String area : new TreeSet<>(areas.keySet())) {
            Map<String, Integer> privs = new TreeMap<>();
            e.perms().privileges(s, areas.get(area)).forEach((p, prop) -> {
                String pre = prefixes.get(area);
                boolean include = switch (area) {
                    case "access" -> p.startsWith("User.") || p.startsWith("Group.") || p.startsWith("Realm.") || p.equals("Permissions.Modify");
                    case "dc" -> p.equals("Sys.Audit") || p.equals("Sys.Modify") || p.startsWith("SDN.");
                    default -> p.startsWith(pre) || (area.equals("vms") && p.equals("Permissions.Modify"));
                };
                if (include) privs.put(p, 1);
            });
            cap.put(area, privs);
        }
        return cap;
    }

    private static Object domains(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            List<Object> out = new ArrayList<>();
            for (Realm r : e.state().realms.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("realm", r.realm());
                m.put("type", r.type());
                if (r.comment() != null) m.put("comment", r.comment());
                out.add(m);
            }
            return out;
        }
    }

    private static Object syncRealm(Call c) {
        Engine e = c.engine();
        String realm = c.str("realm");
        synchronized (e.state()) {
            Realm r = e.state().realms.get(realm);
            if (r == null) throw ApiException.fail("domain '" + realm + "' does not exist");
            if (!r.type().equals("ldap") && !r.type().equals("ad")) {
                throw ApiException.fail("Cannot sync realm type '" + r.type() + "'! Only LDAP/AD realms can be synced.");
            }
        }
        boolean dry = c.bool("dry-run");
        return e.startTask(c, e.state().nodes.keySet().iterator().next(), "auth-realm-sync" + (dry ? "-test" : ""), realm, ctx -> {
            ctx.log("starting sync for realm " + realm);
            ctx.work();
            ctx.log("got data from server, updating " + c.str("scope", "both"));
            ctx.log("successfully " + (dry ? "tested" : "updated") + " " + c.str("scope", "both") + " configuration");
        });
    }

    private static Object permissions(Call c) {
        Engine e = c.engine();
        Subject s = c.subject();
        Subject target = s;
        if (c.has("userid")) {
            String u = c.str("userid");
            int bang = u.indexOf('!');
            target = bang < 0 ? new Subject(u, null, false) : new Subject(u.substring(0, bang), u.substring(bang + 1), false);
            boolean own = target.userid().equals(s.userid()) && (s.tokenName() == null || s.tokenName().equals(target.tokenName()));
            synchronized (e.state()) {
                if (!own && !e.perms().has(s, "/access", "Sys.Audit")) throw ApiException.forbidden("/access, Sys.Audit");
            }
        }
        synchronized (e.state()) {
            ClusterState st = e.state();
            TreeSet<String> paths = new TreeSet<>();
            if (c.has("path")) {
                paths.add(c.str("path"));
            } else {
                paths.addAll(List.of("/", "/access", "/access/groups", "/nodes", "/pool", "/storage", "/vms", "/sdn"));
                st.acl.forEach(a -> paths.add(a.path()));
                st.containers.keySet().forEach(id -> paths.add("/vms/" + id));
                st.nodes.values().forEach(n -> {
                    paths.add("/nodes/" + n.name);
                    n.storages.keySet().forEach(sid -> paths.add("/storage/" + sid));
                });
                st.pools.keySet().forEach(p -> paths.add("/pool/" + p));
            }
            Map<String, Object> out = new TreeMap<>();
            for (String p : paths) {
                Map<String, Boolean> privs = e.perms().privileges(target, p);
                if (privs.isEmpty() && !c.has("path")) continue;
                Map<String, Integer> m = new TreeMap<>();
                privs.forEach((k, v) -> m.put(k, v ? 1 : 0));
                out.put(p, m);
            }
            return out;
        }
    }

    // ----- users -----

    private static User user(ClusterState st, String userid, String prefix) {
        User u = st.users.get(userid);
        if (u == null) throw ApiException.fail(prefix + "no such user ('" + userid + "')");
        return u;
    }

    private static boolean userVisible(Engine e, Subject s, User u) {
        if (e.perms().hasAny(s, "/access/groups", "User.Modify", "Sys.Audit")) return true;
        for (String g : u.groups) if (e.perms().hasAny(s, "/access/groups/" + g, "User.Modify", "Sys.Audit")) return true;
        return u.userid.equals(s.userid());
    }

    private static Object listUsers(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            List<Object> out = new ArrayList<>();
            for (User u : e.state().users.values()) {
                if (!userVisible(e, c.subject(), u)) continue;
                if (c.has("enabled") && u.enable != c.bool("enabled")) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("userid", u.userid);
                putUserFields(u, m);
                if (!u.groups.isEmpty()) m.put("groups", String.join(",", u.groups));
                if (c.bool("full")) {
                    List<Object> tokens = new ArrayList<>();
                    u.tokens.values().forEach(t -> {
                        Map<String, Object> tm = tokenInfo(t);
                        Map<String, Object> withId = new LinkedHashMap<>();
                        withId.put("tokenid", t.tokenid);
                        withId.putAll(tm);
                        tokens.add(withId);
                    });
                    m.put("tokens", tokens);
                }
                Realm r = e.state().realms.get(u.realm());
                m.put("realm-type", r == null ? u.realm() : r.type());
                out.add(m);
            }
            return out;
        }
    }

    private static void putUserFields(User u, Map<String, Object> m) {
        m.put("enable", u.enable ? 1 : 0);
        m.put("expire", u.expire);
        if (u.firstname != null) m.put("firstname", u.firstname);
        if (u.lastname != null) m.put("lastname", u.lastname);
        if (u.email != null) m.put("email", u.email);
        if (u.comment != null) m.put("comment", u.comment);
        if (u.keys != null) m.put("keys", u.keys);
    }

    private static Object createUser(Call c) {
        Engine e = c.engine();
        String userid = c.str("userid");
        String prefix = "create user failed: ";
        synchronized (e.state()) {
            ClusterState st = e.state();
            if (st.users.containsKey(userid)) throw ApiException.fail(prefix + "user '" + userid + "' already exists");
            if (!st.realms.containsKey(realmOf(userid))) throw ApiException.fail(prefix + "no such realm '" + realmOf(userid) + "'");
            User u = new User(userid);
            applyUserFields(c, st, u, prefix);
            if (c.has("password")) {
                if (!realmOf(userid).equals("pve") && !realmOf(userid).equals("pam")) {
                    throw ApiException.fail(prefix + "can't set password on realm '" + realmOf(userid) + "'");
                }
                u.password = c.str("password");
            }
            st.users.put(userid, u);
            return null;
        }
    }

    private static void applyUserFields(Call c, ClusterState st, User u, String prefix) {
        if (c.has("groups")) {
            List<String> groups = Formats.splitList(c.str("groups"));
            for (String g : groups) if (!st.groups.containsKey(g)) throw ApiException.fail(prefix + "no such group '" + g + "'");
            if (!c.bool("append")) u.groups.clear();
            u.groups.addAll(groups);
        }
        if (c.has("enable")) u.enable = c.bool("enable");
        if (c.has("expire")) u.expire = Long.parseLong(c.str("expire"));
        if (c.has("firstname")) u.firstname = emptyToNull(c.str("firstname"));
        if (c.has("lastname")) u.lastname = emptyToNull(c.str("lastname"));
        if (c.has("email")) u.email = emptyToNull(c.str("email"));
        if (c.has("comment")) u.comment = emptyToNull(c.str("comment"));
        if (c.has("keys")) u.keys = emptyToNull(c.str("keys"));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Object readUser(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            User u = user(e.state(), c.str("userid"), "");
            Map<String, Object> m = new LinkedHashMap<>();
            putUserFields(u, m);
            m.put("groups", new ArrayList<>(u.groups));
            Map<String, Object> tokens = new TreeMap<>();
            u.tokens.values().forEach(t -> tokens.put(t.tokenid, tokenInfo(t)));
            m.put("tokens", tokens);
            return m;
        }
    }

    private static Object updateUser(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            User u = user(e.state(), c.str("userid"), "update user failed: ");
            applyUserFields(c, e.state(), u, "update user failed: ");
            return null;
        }
    }

    private static Object deleteUser(Call c) {
        Engine e = c.engine();
        String userid = c.str("userid");
        synchronized (e.state()) {
            ClusterState st = e.state();
            user(st, userid, "delete user failed: ");
            st.users.remove(userid);
            st.acl.removeIf(a -> a.type().equals("user") && a.ugid().equals(userid)
                    || a.type().equals("token") && a.ugid().startsWith(userid + "!"));
            return null;
        }
    }

    private static Object changePassword(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            User u = user(e.state(), c.str("userid"), "");
            String realm = u.realm();
            if (!realm.equals("pve") && !realm.equals("pam")) {
                throw ApiException.fail("change password failed: realm '" + realm + "' does not allow password changes");
            }
            u.password = c.str("password");
            return null;
        }
    }

    // ----- tokens -----

    private static Map<String, Object> tokenInfo(Token t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("privsep", t.privsep ? 1 : 0);
        m.put("expire", t.expire);
        if (t.comment != null) m.put("comment", t.comment);
        return m;
    }

    private static Token token(User u, String tokenid) {
        Token t = u.tokens.get(tokenid);
        if (t == null) throw ApiException.fail("no such token '" + tokenid + "' for user '" + u.userid + "'");
        return t;
    }

    private static Object listTokens(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            User u = user(e.state(), c.str("userid"), "");
            List<Object> out = new ArrayList<>();
            u.tokens.values().forEach(t -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("tokenid", t.tokenid);
                m.putAll(tokenInfo(t));
                out.add(m);
            });
            return out;
        }
    }

    private static Object readToken(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            return tokenInfo(token(user(e.state(), c.str("userid"), ""), c.str("tokenid")));
        }
    }

    private static Object createToken(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            User u = user(e.state(), c.str("userid"), "");
            String name = c.str("tokenid");
            if (u.tokens.containsKey(name)) throw ApiException.param("tokenid", "Token already exists.");
            Token t = new Token(name, e.uuid(), c.bool("privsep", true));
            t.expire = c.has("expire") ? Long.parseLong(c.str("expire")) : u.expire;
            t.comment = emptyToNull(c.str("comment"));
            u.tokens.put(name, t);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("full-tokenid", u.userid + "!" + name);
            m.put("info", tokenInfo(t));
            m.put("value", t.secret);
            return m;
        }
    }

    private static Object updateToken(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Token t = token(user(e.state(), c.str("userid"), ""), c.str("tokenid"));
            if (c.has("delete")) {
                for (String d : Formats.splitList(c.str("delete"))) {
                    switch (d) {
                        case "comment" -> t.comment = null;
                        case "expire" -> t.expire = 0;
                        case "privsep" -> t.privsep = true;
                        default -> throw ApiException.param("delete", "unknown option '" + d + "'");
                    }
                }
            }
            if (c.has("comment")) t.comment = emptyToNull(c.str("comment"));
            if (c.has("expire")) t.expire = Long.parseLong(c.str("expire"));
            if (c.has("privsep")) t.privsep = c.bool("privsep");
            return tokenInfo(t);
        }
    }

    private static Object deleteToken(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            User u = user(e.state(), c.str("userid"), "");
            token(u, c.str("tokenid"));
            u.tokens.remove(c.str("tokenid"));
            String full = u.userid + "!" + c.str("tokenid");
            e.state().acl.removeIf(a -> a.type().equals("token") && a.ugid().equals(full));
            return null;
        }
    }

    // ----- groups -----

    private static List<String> members(ClusterState st, String groupid) {
        List<String> out = new ArrayList<>();
        st.users.values().forEach(u -> {
            if (u.groups.contains(groupid)) out.add(u.userid);
        });
        return out;
    }

    private static Group group(ClusterState st, String groupid, String prefix) {
        Group g = st.groups.get(groupid);
        if (g == null) throw ApiException.fail(prefix + "group '" + groupid + "' does not exist");
        return g;
    }

    private static Object listGroups(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            List<Object> out = new ArrayList<>();
            for (Group g : e.state().groups.values()) {
                if (!e.perms().hasAny(c.subject(), "/access/groups/" + g.groupid, "User.Modify", "Sys.Audit", "Group.Allocate")) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("groupid", g.groupid);
                if (g.comment != null) m.put("comment", g.comment);
                List<String> members = members(e.state(), g.groupid);
                if (!members.isEmpty()) m.put("users", String.join(",", members));
                out.add(m);
            }
            return out;
        }
    }

    private static Object createGroup(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            String id = c.str("groupid");
            if (e.state().groups.containsKey(id)) throw ApiException.fail("create group failed: group '" + id + "' already exists");
            e.state().groups.put(id, new Group(id, emptyToNull(c.str("comment"))));
            return null;
        }
    }

    private static Object readGroup(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Group g = group(e.state(), c.str("groupid"), "");
            Map<String, Object> m = new LinkedHashMap<>();
            if (g.comment != null) m.put("comment", g.comment);
            m.put("members", members(e.state(), g.groupid));
            return m;
        }
    }

    private static Object updateGroup(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            Group g = group(e.state(), c.str("groupid"), "update group failed: ");
            if (c.has("comment")) g.comment = emptyToNull(c.str("comment"));
            return null;
        }
    }

    private static Object deleteGroup(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            ClusterState st = e.state();
            String id = c.str("groupid");
            group(st, id, "delete group failed: ");
            st.groups.remove(id);
            st.users.values().forEach(u -> u.groups.remove(id));
            st.acl.removeIf(a -> a.type().equals("group") && a.ugid().equals(id));
            return null;
        }
    }

    // ----- ACL and roles -----

    private static Object readAcl(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            boolean audit = e.perms().has(c.subject(), "/access", "Sys.Audit");
            List<Object> out = new ArrayList<>();
            for (AclEntry a : e.state().acl) {
                if (!audit && !e.perms().canModifyPermissions(c.subject(), a.path())) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", a.path());
                m.put("type", a.type());
                m.put("ugid", a.ugid());
                m.put("roleid", a.roleid());
                m.put("propagate", a.propagate() ? 1 : 0);
                out.add(m);
            }
            return out;
        }
    }

    private static Object updateAcl(Call c) {
        Engine e = c.engine();
        String path = c.str("path");
        if (!ACL_PATH.matcher(path).matches()) throw ApiException.param("path", "invalid ACL path '" + path + "'");
        List<String> users = c.has("users") ? Formats.splitList(c.str("users")) : List.of();
        List<String> groups = c.has("groups") ? Formats.splitList(c.str("groups")) : List.of();
        List<String> tokens = c.has("tokens") ? Formats.splitList(c.str("tokens")) : List.of();
        if (users.isEmpty() && groups.isEmpty() && tokens.isEmpty()) {
            throw ApiException.param("users", "either 'users', 'groups' or 'tokens' is required");
        }
        boolean delete = c.bool("delete");
        boolean propagate = c.bool("propagate", true);
        synchronized (e.state()) {
            ClusterState st = e.state();
            List<String> roles = Formats.splitList(c.str("roles"));
            for (String role : roles) {
                if (!e.perms().roleExists(role)) throw ApiException.fail("role '" + role + "' does not exist");
                if (!delete && !e.perms().has(c.subject(), path, "Permissions.Modify")) {
                    Set<String> mine = e.perms().privileges(c.subject(), path).keySet();
                    if (!mine.containsAll(e.perms().privilegesOfRole(role))) {
                        throw ApiException.param("role", "Cannot add role '" + role + "' - requires 'Permissions.Modify' or superset of privileges.");
                    }
                }
            }
            List<AclEntry> subjects = new ArrayList<>();
            for (String g : groups) {
                if (!delete && !st.groups.containsKey(g)) throw ApiException.fail("group '" + g + "' does not exist");
                subjects.add(new AclEntry(path, "group", g, null, propagate));
            }
            for (String u : users) {
                if (!delete && !st.users.containsKey(u)) throw ApiException.fail("user '" + u + "' does not exist");
                subjects.add(new AclEntry(path, "user", u, null, propagate));
            }
            for (String t : tokens) {
                int bang = t.indexOf('!');
                User u = st.users.get(t.substring(0, bang));
                if (!delete && (u == null || !u.tokens.containsKey(t.substring(bang + 1)))) {
                    throw ApiException.fail("no such token '" + t.substring(bang + 1) + "' for user '" + t.substring(0, bang) + "'");
                }
                subjects.add(new AclEntry(path, "token", t, null, propagate));
            }
            for (AclEntry s : subjects) {
                for (String role : roles) {
                    st.acl.removeIf(a -> a.path().equals(path) && a.type().equals(s.type()) && a.ugid().equals(s.ugid())
                            && a.roleid().equals(role));
                    if (!delete) st.acl.add(new AclEntry(path, s.type(), s.ugid(), role, propagate));
                }
            }
            return null;
        }
    }

    private static Object listRoles(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            List<Object> out = new ArrayList<>();
            Map<String, Set<String>> all = new TreeMap<>(Roles.BUILT_IN);
            e.state().customRoles.forEach((k, v) -> all.put(k, new TreeSet<>(v)));
            all.forEach((id, privs) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("roleid", id);
                m.put("privs", String.join(",", privs));
                if (Roles.isBuiltIn(id)) m.put("special", 1);
                out.add(m);
            });
            return out;
        }
    }

    private static Object readRole(Call c) {
        Engine e = c.engine();
        synchronized (e.state()) {
            String id = c.str("roleid");
            if (!e.perms().roleExists(id)) throw ApiException.fail("role '" + id + "' does not exist");
            Map<String, Object> m = new TreeMap<>();
            e.perms().privilegesOfRole(id).forEach(p -> m.put(p, 1));
            return m;
        }
    }
}
