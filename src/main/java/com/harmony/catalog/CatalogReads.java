package com.harmony.catalog;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the shop's catalog reads go: a read-only replica when the {@code catalog-replica} datasource is
 * active (CATALOG_REPLICA_URL), else the primary. Staff reads and every write stay on the primary, and
 * the catalog cache hears of writes from the primary, so a replica's lag only adds to a cache entry's
 * bounded staleness.
 */
@ApplicationScoped
class CatalogReads {

    static final String REPLICA = "catalog-replica";

    private final Pool shop;

    CatalogReads(Pool primary, @ReactiveDataSource(REPLICA) Instance<Pool> replica,
            @ConfigProperty(name = "quarkus.datasource.\"" + REPLICA + "\".active", defaultValue = "false") boolean replicaActive) {
        this.shop = replicaActive ? replica.get() : primary;
    }

    Pool shop() {
        return shop;
    }
}
