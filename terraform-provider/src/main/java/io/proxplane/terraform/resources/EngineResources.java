package io.proxplane.terraform.resources;

import io.proxplane.terraform.framework.DataSource;
import io.proxplane.terraform.framework.Resource;
import java.util.List;

/** The managed resources and engine-backed look-ups, all sharing one {@link EngineAccess}. */
public final class EngineResources {

    private EngineResources() {
    }

    public static List<Resource> resources(EngineAccess access) {
        return List.of(new SiteResource(access), new ExternalDomainResource(access), new ContainerResource(access),
                new ContainerServiceResource(access), new PoolResource(access), new UserResource(access), new GroupResource(access),
                new DirectoryServiceAccountResource(access));
    }

    public static List<DataSource> dataSources(EngineAccess access) {
        return LookupDataSources.all(access);
    }
}
