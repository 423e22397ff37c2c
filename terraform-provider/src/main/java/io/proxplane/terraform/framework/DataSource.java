package io.proxplane.terraform.framework;

import io.proxplane.terraform.diag.Diagnostics;
import io.proxplane.terraform.schema.Schema;
import io.proxplane.terraform.value.TfValue;

/** A data source: a lookup whose result Terraform stores but never manages. */
public interface DataSource {

    /** e.g. {@code proxplane_nodes}. */
    String typeName();

    Schema schema();

    /** Static checks; {@code config} may contain unknowns (values known only after apply). */
    default void validate(TfValue.Obj config, Diagnostics diagnostics) {
    }

    /**
     * Reads the data. {@code config} is wholly known. The result is the whole object of
     * {@link #schema()}: configured attributes as given, computed ones filled in.
     */
    TfValue.Obj read(TfValue.Obj config, Diagnostics diagnostics);
}
