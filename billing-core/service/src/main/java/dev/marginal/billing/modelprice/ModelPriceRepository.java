package dev.marginal.billing.modelprice;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.pricing.llm.ModelPrice;

/** The SQL of the model price catalog. */
@Repository
public class ModelPriceRepository {

    public record ModelKey(String vendor, String model) {
    }

    private static final String COLUMNS = """
            id, organization_id, vendor, model, input_usd_per_million_tokens, cached_input_usd_per_million_tokens,
            output_usd_per_million_tokens, effective_from, effective_to, source_url, created_at""";

    private final JdbcClient jdbc;

    public ModelPriceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every public and own price of the given models, whatever their period: one query per batch. */
    public List<ModelPrice> pricesFor(UUID organizationId, Collection<ModelKey> models) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM model_prices
                        WHERE (organization_id IS NULL OR organization_id = :org)
                          AND (vendor, model) IN (SELECT * FROM unnest(CAST(:vendors AS text[]), CAST(:models AS text[])))
                        """)
                .param("org", organizationId)
                .param("vendors", models.stream().map(ModelKey::vendor).toArray(String[]::new))
                .param("models", models.stream().map(ModelKey::model).toArray(String[]::new))
                .query((rs, n) -> price(view(rs))).list();
    }

    public static ModelPrice price(ModelPriceView row) {
        return new ModelPrice(row.id().toString(), row.vendor(), row.model(), row.inputUsdPerMillionTokens(),
                row.cachedInputUsdPerMillionTokens(), row.outputUsdPerMillionTokens(), row.effectiveFrom().toInstant(),
                row.effectiveTo() == null ? null : row.effectiveTo().toInstant(), row.organizationId() != null);
    }

    public record Listing(List<ModelPriceView> items, long total) {
    }

    /** The public list and the organisation's own prices; {@code activeAt} keeps those in effect then. */
    public Listing list(UUID organizationId, String vendor, String model, OffsetDateTime activeAt, PageRequest page) {
        String where = """
                 FROM model_prices
                WHERE (organization_id IS NULL OR organization_id = :org)
                  AND (CAST(:vendor AS text) IS NULL OR vendor = lower(CAST(:vendor AS text)))
                  AND (CAST(:model AS text) IS NULL OR model = lower(CAST(:model AS text)))
                  AND (CAST(:at AS timestamptz) IS NULL OR (effective_from <= CAST(:at AS timestamptz)
                       AND (effective_to IS NULL OR effective_to > CAST(:at AS timestamptz))))
                """;
        long total = jdbc.sql("SELECT count(*)" + where).param("org", organizationId).param("vendor", vendor)
                .param("model", model).param("at", activeAt).query(Long.class).single();
        List<ModelPriceView> items = jdbc.sql("SELECT " + COLUMNS + where
                        + " ORDER BY vendor, model, effective_from DESC, organization_id NULLS LAST, id"
                        + " LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("vendor", vendor).param("model", model).param("at", activeAt)
                .param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> view(rs)).list();
        return new Listing(items, total);
    }

    public Optional<ModelPriceView> find(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_prices WHERE id = :id"
                        + " AND (organization_id IS NULL OR organization_id = :org)")
                .param("id", id).param("org", organizationId).query((rs, n) -> view(rs)).optional();
    }

    /** Serialises price changes of one organisation's model until the transaction ends. */
    void lock(UUID organizationId, ModelKey key) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))")
                .param("k", organizationId + "/" + key.vendor() + "/" + key.model()).query().singleRow();
    }

    List<ModelPriceView> ownPrices(UUID organizationId, ModelKey key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_prices WHERE organization_id = :org"
                        + " AND vendor = :vendor AND model = :model ORDER BY effective_from")
                .param("org", organizationId).param("vendor", key.vendor()).param("model", key.model())
                .query((rs, n) -> view(rs)).list();
    }

    void close(UUID id, OffsetDateTime effectiveTo) {
        jdbc.sql("UPDATE model_prices SET effective_to = :to WHERE id = :id").param("to", effectiveTo).param("id", id)
                .update();
    }

    ModelPriceView insert(UUID organizationId, ModelPriceDraft draft) {
        return jdbc.sql("""
                        INSERT INTO model_prices (id, organization_id, vendor, model, input_usd_per_million_tokens,
                            cached_input_usd_per_million_tokens, output_usd_per_million_tokens, effective_from,
                            effective_to, source_url)
                        VALUES (:id, :org, :vendor, :model, :input, :cached, :output, :from, :to, :source)
                        RETURNING\s""" + COLUMNS)
                .param("id", Uuid7.generate()).param("org", organizationId).param("vendor", draft.key().vendor())
                .param("model", draft.key().model()).param("input", draft.input()).param("cached", draft.cachedInput())
                .param("output", draft.output()).param("from", draft.effectiveFrom()).param("to", draft.effectiveTo())
                .param("source", draft.sourceUrl())
                .query((rs, n) -> view(rs)).single();
    }

    private static ModelPriceView view(ResultSet rs) throws SQLException {
        return new ModelPriceView(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                rs.getString("vendor"), rs.getString("model"), rs.getBigDecimal("input_usd_per_million_tokens"),
                rs.getBigDecimal("cached_input_usd_per_million_tokens"), rs.getBigDecimal("output_usd_per_million_tokens"),
                rs.getObject("effective_from", OffsetDateTime.class), rs.getObject("effective_to", OffsetDateTime.class),
                rs.getString("source_url"), rs.getObject("created_at", OffsetDateTime.class));
    }
}
