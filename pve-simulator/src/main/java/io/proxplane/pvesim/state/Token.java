package io.proxplane.pvesim.state;

/** An API token of a user. Guarded by the ClusterState monitor. */
public final class Token {
    public String tokenid;
    public boolean privsep = true;
    public long expire;
    public String comment;
    public String secret;

    public Token() {}

    public Token(String tokenid, String secret, boolean privsep) {
        this.tokenid = tokenid;
        this.secret = secret;
        this.privsep = privsep;
    }
}
