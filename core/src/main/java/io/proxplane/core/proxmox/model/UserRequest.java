package io.proxplane.core.proxmox.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fields for {@code POST /access/users} (create, {@link #toCreateParams()}) and
 * {@code PUT /access/users/{userid}} (update, {@link #toUpdateParams()}). Null fields are not sent.
 */
public final class UserRequest {

    private static final Pattern USERID = Pattern.compile("[^\\s:/]+@[A-Za-z][A-Za-z0-9.\\-_]+");
    private static final Pattern GROUPID = Pattern.compile("[A-Za-z0-9.\\-_]+");

    private final String userid;
    private final Map<String, String> fields;
    private final String password;
    private final boolean appendGroups;

    private UserRequest(Builder b) {
        this.userid = b.userid;
        this.fields = Map.copyOf(b.fields);
        this.password = b.password;
        this.appendGroups = b.appendGroups;
    }

    public static Builder builder(String userid) {
        return new Builder(userid);
    }

    public String userid() {
        return userid;
    }

    public Map<String, String> toCreateParams() {
        if (appendGroups) {
            throw new IllegalStateException("append: only meaningful for an update");
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("userid", userid);
        p.putAll(fields);
        FormValues.put(p, "password", password);
        return p;
    }

    public Map<String, String> toUpdateParams() {
        if (password != null) {
            throw new IllegalStateException("password: cannot be changed with a user update (PUT /access/password)");
        }
        Map<String, String> p = new LinkedHashMap<>(fields);
        if (appendGroups) {
            p.put("append", "1");
        }
        return p;
    }

    @Override
    public String toString() {
        return "UserRequest[" + userid + ", " + fields + "]";
    }

    public static final class Builder {
        private final String userid;
        private final Map<String, String> fields = new LinkedHashMap<>();
        private String password;
        private boolean appendGroups;

        private Builder(String userid) {
            if (userid == null || userid.length() < 3 || userid.length() > 64 || !USERID.matcher(userid).matches()) {
                throw new IllegalArgumentException("userid: expected name@realm (3-64 characters), got '" + userid + "'");
            }
            this.userid = userid;
        }

        /** Initial password (8-64 characters), create only; meaningful for the pve realm. */
        public Builder password(String v) {
            if (v.length() < 8 || v.length() > 64) {
                throw new IllegalArgumentException("password: must have 8 to 64 characters");
            }
            password = v;
            return this;
        }
        public Builder email(String v) { fields.put("email", v); return this; }
        public Builder firstname(String v) { fields.put("firstname", v); return this; }
        public Builder lastname(String v) { fields.put("lastname", v); return this; }
        public Builder comment(String v) { fields.put("comment", v); return this; }
        public Builder enable(boolean v) { fields.put("enable", v ? "1" : "0"); return this; }
        /** Expiry in epoch seconds, 0 = never. */
        public Builder expire(long epochSeconds) {
            if (epochSeconds < 0) throw new IllegalArgumentException("expire: must not be negative");
            fields.put("expire", Long.toString(epochSeconds));
            return this;
        }
        /** Replaces the group list (update: unless {@link #appendGroups()}). */
        public Builder groups(List<String> groups) {
            for (String g : groups) {
                if (!GROUPID.matcher(g).matches()) {
                    throw new IllegalArgumentException("groups: '" + g + "' is not a valid group id");
                }
            }
            fields.put("groups", String.join(",", groups));
            return this;
        }
        /** Update only: add the given groups instead of replacing the list. */
        public Builder appendGroups() {
            if (!fields.containsKey("groups")) {
                throw new IllegalStateException("append: set groups(...) first");
            }
            appendGroups = true;
            return this;
        }

        public UserRequest build() {
            return new UserRequest(this);
        }
    }
}
