package io.proxplane.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
    @JsonPropertyDescription("The Site's name; immutable (a container cannot move between sites).")
    public String site;

    /** Host name inside the site's DNS domain; defaults to metadata.name. */
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    @JsonPropertyDescription("Host name inside the site's DNS domain; default metadata.name.")
    public String hostname;

    /** Proxmox node; empty lets the placement policy choose. Changing it needs a replacement. */
    @Size(max = 63)
    @Pattern("^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$")
    @JsonPropertyDescription("Proxmox node; empty lets the site's placement policy choose. Changing it needs a replacement.")
    public String node;

    /**
     * An OCI reference with a tag ({@code docker.io/library/nginx:1.27}) or a template volume
     * ({@code local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst}). Changing it needs a replacement.
     */
    @Required
    @Size(max = 512)
    @Pattern("^([a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})"
            + "|[A-Za-z][A-Za-z0-9_.-]*:vztmpl/[A-Za-z0-9_.+-]+)$")
    @JsonPropertyDescription("An OCI image reference with a tag (docker.io/library/nginx:1.27) or a template volume (local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst). Changing it needs a replacement.")
    public String image;

    @Min(1)
    @Max(1024)
    @JsonPropertyDescription("CPU cores (1-1024); changes in place.")
    public Integer cores;

    @Min(16)
    @Max(16777216)
    @JsonPropertyDescription("Memory in MiB (at least 16); changes in place.")
    public Long memoryMb;

    @Min(0)
    @Max(16777216)
    @JsonPropertyDescription("Swap in MiB; changes in place.")
    public Long swapMb;

    /** Root disk; it can grow in place, never shrink. */
    @Min(1)
    @Max(1048576)
    @JsonPropertyDescription("Root disk in GiB; grows in place, a smaller size needs a replacement.")
    public Long diskGb;

    @Size(max = 128)
    // Values: one line, as the engine requires (a newline would otherwise reach the operator and end in
    // Ready=False); refused at kubectl apply with the key named (spec.env.NAME). Key names are checked
    // by the engine (Ready=False naming spec.env): a CEL regex over map keys of unbounded length risks
    // the API server's rule cost budget.
    @JsonPropertyDescription("Environment variables of the container's entrypoint: POSIX names, each value one line (no newline or other control character), at most 4096 characters.")
    public Map<String, @Size(max = 4096) @Pattern("^[^\\x00-\\x1f\\x7f]*$") String> env;

    @Size(max = 1024)
    @Pattern("^[^\\x00-\\x1f\\x7f]*$")
    @JsonPropertyDescription("Command line the container starts (OCI images); one line.")
    public String entrypoint;

    @JsonPropertyDescription("LXC features to enable.")
    public Features features;

    @Size(max = 64)
    @JsonPropertyDescription("SSH public keys for root (OpenSSH format, one per entry).")
    public List<@Size(max = 16384) @Pattern(Names.SSH_KEY) String> sshKeys;

    /** A User's username; gets the owner role on the guest in Proxmox. */
    @Size(max = 32)
    @Pattern(Names.POSIX_NAME)
    @JsonPropertyDescription("Username of a User, who gets the PVEVMUser role on the guest in Proxmox.")
    public String owner;

    /** A Pool's name; the pool's quotas apply. */
    @Size(max = 63)
    @Pattern(Names.DNS_LABEL)
    @JsonPropertyDescription("Name of a Pool whose quotas apply and whose Proxmox pool the guest joins.")
    public String pool;

    /** Place on a node marked {@code gpu} in the Site's nodeOverrides. */
    @JsonPropertyDescription("Place the container on a node marked gpu in the Site's nodeOverrides.")
    public Boolean gpu;

    @JsonPropertyDescription("Running (default) or Stopped.")
    public PowerState powerState;

    public enum PowerState { Running, Stopped }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Features {
        @JsonPropertyDescription("Allow nested containers (e.g. Docker inside).")
        public Boolean nesting;
        @JsonPropertyDescription("Allow the keyctl() system call (needed by some container runtimes).")
        public Boolean keyctl;
        @JsonPropertyDescription("Allow FUSE file systems.")
        public Boolean fuse;
    }
}
