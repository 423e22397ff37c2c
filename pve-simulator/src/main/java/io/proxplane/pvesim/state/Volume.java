package io.proxplane.pvesim.state;

/** One volume on a storage (a template, a container disk, an ISO ...). Guarded by the ClusterState monitor. */
public final class Volume {
    public String volid;
    public String content;   // vztmpl, rootdir, images, iso, backup
    public String format;    // tzst, tar, raw, subvol ...
    public long size;
    public long ctime;
    public Integer vmid;

    public Volume() {}

    public Volume(String volid, String content, String format, long size, long ctime, Integer vmid) {
        this.volid = volid;
        this.content = content;
        this.format = format;
        this.size = size;
        this.ctime = ctime;
        this.vmid = vmid;
    }
}
