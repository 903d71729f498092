package dev.marginal.billing.product;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.MeteredUnitPrice;
import dev.marginal.pricing.price.OneTimePrice;
import dev.marginal.pricing.price.Price;
import tools.jackson.databind.JsonNode;

/** The SQL of products and their prices. Price rows are inserted and archived, never updated otherwise. */
@Repository
public class ProductRepository {

    private static final String COLUMNS = """
            id, organization_id, name, description, visibility, recurring_interval, recurring_interval_count,
            trial_interval, trial_interval_count, metadata::text AS metadata, is_archived, created_at, modified_at""";

    private final JdbcClient jdbc;

    public ProductRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Product> find(UUID organizationId, UUID id) {
        List<Product> found = jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", id).query((rs, n) -> product(rs, List.of())).list();
        return withPrices(organizationId, found).stream().findFirst();
    }

    /** Products by id with their live prices, in two queries whatever the number of ids. */
    public Map<UUID, Product> findByIds(UUID organizationId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Product> found = jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE organization_id = :org"
                        + " AND id = ANY (CAST(:ids AS uuid[]))")
                .param("org", organizationId).param("ids", ids.toArray(UUID[]::new))
                .query((rs, n) -> product(rs, List.of())).list();
        Map<UUID, Product> out = new HashMap<>();
        withPrices(organizationId, found).forEach(p -> out.put(p.id(), p));
        return out;
    }

    public record Listing(List<Product> items, long total) {
    }

    public Listing list(UUID organizationId, List<UUID> ids, String query, Boolean archived, Boolean recurring,
                        String visibility, String orderBy, PageRequest page) {
        String where = """
                 FROM products WHERE organization_id = :org
                  AND (cardinality(CAST(:ids AS uuid[])) = 0 OR id = ANY (CAST(:ids AS uuid[])))
                  AND (CAST(:query AS text) IS NULL OR name ILIKE '%' || CAST(:query AS text) || '%')
                  AND (CAST(:archived AS boolean) IS NULL OR is_archived = CAST(:archived AS boolean))
                  AND (CAST(:recurring AS boolean) IS NULL OR (recurring_interval IS NOT NULL) = CAST(:recurring AS boolean))
                  AND (CAST(:visibility AS text) IS NULL OR visibility = CAST(:visibility AS text))
                """;
        UUID[] idArray = ids.toArray(UUID[]::new);
        long total = jdbc.sql("SELECT count(*)" + where).param("org", organizationId).param("ids", idArray)
                .param("query", query).param("archived", archived).param("recurring", recurring)
                .param("visibility", visibility).query(Long.class).single();
        List<Product> items = jdbc.sql("SELECT " + COLUMNS + where + " ORDER BY " + orderBy
                        + ", id LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("ids", idArray).param("query", query).param("archived", archived)
                .param("recurring", recurring).param("visibility", visibility)
                .param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> product(rs, List.of())).list();
        return new Listing(withPrices(organizationId, items), total);
    }

    /** Every price of the product, archived ones included (a subscription may still point at them). */
    public List<ProductPrice> allPrices(UUID organizationId, UUID productId) {
        return prices(organizationId, List.of(productId), true).getOrDefault(productId, List.of());
    }

    @Transactional
    Product insert(UUID organizationId, ProductDraft draft) {
        UUID id = Uuid7.generate();
        jdbc.sql("""
                        INSERT INTO products (id, organization_id, name, description, visibility, recurring_interval,
                                              recurring_interval_count, trial_interval, trial_interval_count, metadata)
                        VALUES (:id, :org, :name, :description, :visibility, :interval, :count, :trial, :trialCount,
                                CAST(:metadata AS jsonb))""")
                .param("id", id).param("org", organizationId).param("name", draft.name())
                .param("description", draft.description()).param("visibility", draft.visibility())
                .param("interval", draft.recurrence() == null ? null : draft.recurrence().interval().wireName())
                .param("count", draft.recurrence() == null ? null : draft.recurrence().intervalCount())
                .param("trial", draft.trialInterval()).param("trialCount", draft.trialIntervalCount())
                .param("metadata", JsonBody.MAPPER.writeValueAsString(draft.metadata())).update();
        for (ProductDraft.PriceChange change : draft.prices()) {
            insertPrice(organizationId, id, change.create());
        }
        return find(organizationId, id).orElseThrow();
    }

    /**
     * Applies an update in one transaction: the fields sent, then the prices — those kept by id stay,
     * every other live price is archived, new ones are inserted. Empty when the product is not the
     * organisation's.
     */
    @Transactional
    Optional<Product> update(UUID organizationId, UUID id, ProductDraft draft) {
        int updated = jdbc.sql("""
                        UPDATE products SET
                            name = coalesce(:name, name),
                            description = CASE WHEN :clear THEN NULL ELSE coalesce(:description, description) END,
                            visibility = coalesce(:visibility, visibility),
                            trial_interval = coalesce(:trial, trial_interval),
                            trial_interval_count = coalesce(:trialCount, trial_interval_count),
                            metadata = coalesce(CAST(:metadata AS jsonb), metadata),
                            is_archived = coalesce(:archived, is_archived),
                            modified_at = now()
                        WHERE organization_id = :org AND id = :id""")
                .param("org", organizationId).param("id", id).param("name", draft.name())
                .param("clear", draft.clearDescription()).param("description", draft.description())
                .param("visibility", draft.visibility()).param("trial", draft.trialInterval())
                .param("trialCount", draft.trialIntervalCount())
                .param("metadata", draft.metadata() == null ? null : JsonBody.MAPPER.writeValueAsString(draft.metadata()))
                .param("archived", draft.archived()).update();
        if (updated == 0) {
            return Optional.empty();
        }
        if (draft.prices() != null) {
            UUID[] kept = draft.prices().stream().filter(c -> c.keep() != null).map(ProductDraft.PriceChange::keep)
                    .toArray(UUID[]::new);
            jdbc.sql("""
                            UPDATE product_prices SET is_archived = true, modified_at = now()
                            WHERE organization_id = :org AND product_id = :product AND NOT is_archived
                              AND NOT (id = ANY (CAST(:kept AS uuid[])))""")
                    .param("org", organizationId).param("product", id).param("kept", kept).update();
            for (ProductDraft.PriceChange change : draft.prices()) {
                if (change.create() != null) {
                    insertPrice(organizationId, id, change.create());
                }
            }
        }
        return find(organizationId, id);
    }

    private void insertPrice(UUID organizationId, UUID productId, PriceDraft draft) {
        Price price = draft.price();
        Long amount = price instanceof FixedPrice f ? Long.valueOf(f.amount())
                : price instanceof OneTimePrice o ? Long.valueOf(o.amount()) : null;
        MeteredUnitPrice unit = price instanceof MeteredUnitPrice m ? m : null;
        jdbc.sql("""
                        INSERT INTO product_prices (id, organization_id, product_id, amount_type, price_currency,
                                                    price_amount, unit_amount, cap_amount, meter_id, tiers,
                                                    tax_behavior)
                        VALUES (:id, :org, :product, :type, :currency, :amount, :unit, :cap, :meter,
                                CAST(:tiers AS jsonb), :taxBehavior)""")
                .param("id", Uuid7.generate()).param("org", organizationId).param("product", productId)
                .param("type", draft.amountType())
                .param("currency", price.currency().getCurrencyCode().toLowerCase(java.util.Locale.ROOT))
                .param("amount", amount).param("unit", unit == null ? null : unit.unitAmount())
                .param("cap", unit == null ? null : unit.capAmount()).param("meter", draft.meterId())
                .param("tiers", draft.tiers() == null ? null : JsonBody.MAPPER.writeValueAsString(draft.tiers()))
                .param("taxBehavior", draft.taxBehavior()).update();
    }

    private List<Product> withPrices(UUID organizationId, List<Product> products) {
        if (products.isEmpty()) {
            return products;
        }
        Map<UUID, List<ProductPrice>> prices = prices(organizationId, products.stream().map(Product::id).toList(),
                false);
        List<Product> out = new ArrayList<>();
        for (Product p : products) {
            out.add(new Product(p.id(), p.createdAt(), p.modifiedAt(), p.trialInterval(), p.trialIntervalCount(),
                    p.name(), p.description(), p.visibility(), p.recurringInterval(), p.recurringIntervalCount(),
                    null, null, p.isRecurring(), p.isArchived(), p.organizationId(), p.metadata(),
                    prices.getOrDefault(p.id(), List.of()), List.of(), List.of(), List.of()));
        }
        return out;
    }

    private Map<UUID, List<ProductPrice>> prices(UUID organizationId, List<UUID> productIds, boolean archivedToo) {
        Map<UUID, List<ProductPrice>> out = new LinkedHashMap<>();
        selectPrices(organizationId, "pp.product_id = ANY (CAST(:ids AS uuid[])) AND (:all OR NOT pp.is_archived)",
                productIds, archivedToo)
                .forEach(price -> out.computeIfAbsent(price.productId(), k -> new ArrayList<>()).add(price));
        return out;
    }

    /** Prices by id, archived or not: what a subscription was sold at. */
    public List<ProductPrice> pricesByIds(UUID organizationId, List<UUID> priceIds) {
        return priceIds.isEmpty() ? List.of()
                : selectPrices(organizationId, "pp.id = ANY (CAST(:ids AS uuid[])) AND :all", priceIds, true);
    }

    private List<ProductPrice> selectPrices(UUID organizationId, String where, List<UUID> ids, boolean all) {
        return jdbc.sql("""
                        SELECT pp.*, pp.tiers::text AS tiers_text, p.recurring_interval,
                               m.name AS meter_name, m.unit AS meter_unit, m.custom_label AS meter_custom_label,
                               m.custom_multiplier AS meter_custom_multiplier
                        FROM product_prices pp
                        JOIN products p ON p.id = pp.product_id
                        LEFT JOIN meters m ON m.id = pp.meter_id
                        WHERE pp.organization_id = :org AND\s""" + where + """

                        ORDER BY pp.created_at, pp.id""")
                .param("org", organizationId).param("ids", ids.toArray(UUID[]::new)).param("all", all)
                .query((rs, n) -> price(rs)).list();
    }

    private static ProductPrice price(ResultSet rs) throws SQLException {
        UUID meterId = rs.getObject("meter_id", UUID.class);
        JsonNode meter = null;
        if (meterId != null) {
            var node = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            node.put("id", meterId.toString());
            node.put("name", rs.getString("meter_name"));
            node.put("unit", rs.getString("meter_unit"));
            node.put("custom_label", rs.getString("meter_custom_label"));
            node.put("custom_multiplier", (Integer) rs.getObject("meter_custom_multiplier"));
            meter = node;
        }
        String tiers = rs.getString("tiers_text");
        return new ProductPrice(rs.getObject("id", UUID.class), rs.getObject("product_id", UUID.class),
                rs.getString("amount_type"), rs.getString("price_currency"), (Long) rs.getObject("price_amount"),
                rs.getBigDecimal("unit_amount"), (Long) rs.getObject("cap_amount"), meterId,
                tiers == null ? null : json(tiers), rs.getBoolean("is_archived"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("modified_at", OffsetDateTime.class),
                rs.getString("recurring_interval"), meter, rs.getString("tax_behavior"));
    }

    private static Product product(ResultSet rs, List<ProductPrice> prices) throws SQLException {
        String interval = rs.getString("recurring_interval");
        return new Product(rs.getObject("id", UUID.class), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("modified_at", OffsetDateTime.class), rs.getString("trial_interval"),
                (Integer) rs.getObject("trial_interval_count"), rs.getString("name"), rs.getString("description"),
                rs.getString("visibility"), interval, (Integer) rs.getObject("recurring_interval_count"), null, null,
                interval != null, rs.getBoolean("is_archived"), rs.getObject("organization_id", UUID.class),
                json(rs.getString("metadata")), prices, List.of(), List.of(), List.of());
    }

    private static JsonNode json(String text) {
        return JsonBody.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
