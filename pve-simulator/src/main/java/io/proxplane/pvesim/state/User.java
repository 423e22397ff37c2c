package io.proxplane.pvesim.state;

import java.util.LinkedHashSet;
import java.util.TreeMap;

/** A user of realm pam or pve (or a synced realm). Guarded by the ClusterState monitor. */
public final class User {
    public String userid;
    public boolean enable = true;
    public long expire;
    public String firstname;
    public String lastname;
    public String email;
    public String comment;
    public String keys;
    public String password;
    public LinkedHashSet<String> groups = new LinkedHashSet<>();
    public TreeMap<String, Token> tokens = new TreeMap<>();

    public User() {}

    public User(String userid) {
        this.userid = userid;
    }

    public String realm() {
        return userid.substring(userid.lastIndexOf('@') + 1);
    }
}
