package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;
import java.util.Map;

/** Mirrors the engine's {@code ContainerSpec}; sizes in MiB (memory, swap) and GiB (disk). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerSpec {
    /** The Site's name; a container cannot move between sites. */
    @Required
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    @ValidationRule(value = "self == oldSelf", message = "site is immutable; delete and recreate the Container")
    public String site;

    /** Host name inside the site's DNS domain; defaults to metadata.name. */
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    public String hostname;

    /** Proxmox node; empty lets the placement policy choose. Changing it needs a replacement. */
    @Size(max = 63)
    @Pattern("^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$")
    public String node;

    /**
     * An OCI reference with a tag ({@code docker.io/library/nginx:1.27}) or a template volume
     * ({@code local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst}). Changing it needs a replacement.
     */
    @Required
    @Size(max = 512)
    @Pattern("^([a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})"
            + "|[A-Za-z][A-Za-z0-9_.-]*:vztmpl/[A-Za-z0-9_.+-]+)$")
    public String image;

    @Min(1)
    @Max(1024)
    public Integer cores;

    @Min(16)
    @Max(16777216)
    public Long memoryMb;

    @Min(0)
    @Max(16777216)
    public Long swapMb;

    /** Root disk; it can grow in place, never shrink. */
    @Min(1)
    @Max(1048576)
    public Long diskGb;

    @Size(max = 128)
    // Key names are checked by the engine (Ready=False naming spec.env): a CEL regex over map keys of
    // unbounded length risks the API server's rule cost budget.
    public Map<String, @Size(max = 4096) String> env;

    @Size(max = 1024)
    @Pattern("^[^\\x00-\\x1f\\x7f]*$")
    public String entrypoint;

    public Features features;

    @Size(max = 64)
    public List<@Size(max = 16384) @Pattern(Names.SSH_KEY) String> sshKeys;

    /** A User's username; gets the owner role on the guest in Proxmox. */
    @Size(max = 32)
    @Pattern(Names.POSIX_NAME)
    public String owner;

    /** A Pool's name; the pool's quotas apply. */
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    public String pool;

    /** Place on a node marked {@code gpu} in the Site's nodeOverrides. */
    public Boolean gpu;

    public PowerState powerState;

    public enum PowerState { Running, Stopped }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Features {
        public Boolean nesting;
        public Boolean keyctl;
        public Boolean fuse;
    }
}
