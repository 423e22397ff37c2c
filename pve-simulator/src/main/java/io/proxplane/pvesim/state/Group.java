package io.proxplane.pvesim.state;

/** A user group; membership lives in the users' group lists, as in PVE's user.cfg. */
public final class Group {
    public String groupid;
    public String comment;

    public Group() {}

    public Group(String groupid, String comment) {
        this.groupid = groupid;
        this.comment = comment;
    }
}
