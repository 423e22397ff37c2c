package io.proxplane.pvesim.auth;

/** Who is calling: a user (ticket) or a user's API token. */
public record Subject(String userid, String tokenName, boolean viaTicket) {
    public boolean isToken() {
        return tokenName != null;
    }

    /** "user@realm" or "user@realm!token": the UPID user field and task owner. */
    public String fullId() {
        return tokenName == null ? userid : userid + "!" + tokenName;
    }

    public boolean isRoot() {
        return "root@pam".equals(userid);
    }
}
