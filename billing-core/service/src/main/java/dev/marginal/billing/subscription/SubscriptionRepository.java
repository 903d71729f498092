package dev.marginal.billing.subscription;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.clock.TestClockScope;
import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.customer.CustomerRepository;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.id.Uuid7;
import dev.marginal.billing.product.Product;
import dev.marginal.billing.product.ProductPrice;
import dev.marginal.billing.product.ProductRepository;
import dev.marginal.pricing.price.Recurrence;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The SQL of subscriptions, their prices and their append-only event history. */
@Repository
public class SubscriptionRepository {

    private final JdbcClient jdbc;
    private final CustomerRepository customers;
    private final ProductRepository products;

    public SubscriptionRepository(JdbcClient jdbc, CustomerRepository customers, ProductRepository products) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.products = products;
    }

    /** What {@link #insert} writes. */
    record NewSubscription(UUID organizationId, UUID customerId, UUID productId, String currency, long amount,
                           Recurrence recurrence, SubscriptionStatus status, Instant billingAnchor,
                           Instant periodStart, Instant periodEnd, Instant trialStart, Instant trialEnd,
                           Instant startedAt, ObjectNode metadata, List<UUID> priceIds) {
    }

    UUID insert(NewSubscription s) {
        UUID id = Uuid7.generate();
        jdbc.sql("""
                        INSERT INTO subscriptions (id, organization_id, customer_id, product_id, currency, amount,
                            recurring_interval, recurring_interval_count, status, billing_anchor, current_period_start,
                            current_period_end, trial_start, trial_end, started_at, metadata)
                        VALUES (:id, :org, :customer, :product, :currency, :amount, :interval, :count, :status,
                                :anchor, :start, :end, :trialStart, :trialEnd, :startedAt, CAST(:metadata AS jsonb))""")
                .param("id", id).param("org", s.organizationId()).param("customer", s.customerId())
                .param("product", s.productId()).param("currency", s.currency()).param("amount", s.amount())
                .param("interval", s.recurrence().interval().wireName())
                .param("count", s.recurrence().intervalCount()).param("status", s.status().wireName())
                .param("anchor", at(s.billingAnchor())).param("start", at(s.periodStart()))
                .param("end", at(s.periodEnd())).param("trialStart", at(s.trialStart()))
                .param("trialEnd", at(s.trialEnd())).param("startedAt", at(s.startedAt()))
                .param("metadata", JsonBody.MAPPER.writeValueAsString(s.metadata())).update();
        for (UUID price : s.priceIds()) {
            jdbc.sql("INSERT INTO subscription_prices (subscription_id, currency, price_id) VALUES (:s, :c, :p)")
                    .param("s", id).param("c", s.currency()).param("p", price).update();
        }
        return id;
    }

    /** The row, locked until the transaction ends, so two changes of one subscription run one after the other. */
    Optional<SubscriptionRow> lock(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT * FROM subscriptions WHERE organization_id = :org AND id = :id FOR UPDATE")
                .param("org", organizationId).param("id", id).query((rs, n) -> row(rs)).optional();
    }

    /**
     * Subscriptions with something due by {@code now} — a period or trial that ended, or a payment
     * retry — locked; a concurrent sweep skips them rather than waiting.
     */
    /**
     * Due rows of the organisations on real time ({@code testClockOrganization} null: every one
     * without a test clock) or of the one organisation whose test clock is being advanced.
     */
    List<SubscriptionRow> lockDue(Instant now, UUID testClockOrganization, int limit) {
        return jdbc.sql("""
                        SELECT * FROM subscriptions s
                        WHERE id IN (SELECT id FROM subscriptions
                                     WHERE status IN ('trialing', 'active', 'past_due', 'unpaid')
                                       AND current_period_end <= :now
                                     UNION
                                     SELECT id FROM subscriptions WHERE next_payment_attempt_at <= :now)
                          AND %s
                        ORDER BY least(current_period_end, next_payment_attempt_at), id
                        LIMIT :limit FOR UPDATE SKIP LOCKED""".formatted(TestClockScope.sql("s.organization_id")))
                .param("now", at(now)).param("org", testClockOrganization).param("limit", limit)
                .query((rs, n) -> row(rs)).list();
    }

    void scheduleCancel(UUID id, boolean cancel, Instant now, Instant endsAt) {
        jdbc.sql("""
                        UPDATE subscriptions SET cancel_at_period_end = :cancel, canceled_at = :canceledAt,
                            ends_at = :endsAt, modified_at = now()
                        WHERE id = :id""")
                .param("id", id).param("cancel", cancel).param("canceledAt", cancel ? at(now) : null)
                .param("endsAt", cancel ? at(endsAt) : null).update();
    }

    /** Canceled: by a revoke ({@code at} = now) or at the end of a period it was scheduled to end with. */
    void end(UUID id, Instant at, boolean revoked) {
        jdbc.sql("""
                        UPDATE subscriptions SET status = 'canceled', ended_at = :at, ends_at = :at,
                            next_payment_attempt_at = NULL,
                            canceled_at = CASE WHEN :revoked THEN :at ELSE coalesce(canceled_at, :at) END,
                            modified_at = now()
                        WHERE id = :id""")
                .param("id", id).param("at", at(at)).param("revoked", revoked).update();
    }

    /** Moves to a new billing period, with the status and dunning state its order's payment left. */
    void advance(UUID id, SubscriptionStatus status, long periodIndex, Instant start, Instant end, Dunning dunning) {
        jdbc.sql("""
                        UPDATE subscriptions SET status = :status, period_index = :index, current_period_start = :start,
                            current_period_end = :end, dunning_order_id = :order, past_due_at = :pastDueAt,
                            payment_attempts = :attempts, next_payment_attempt_at = :next, usage_period_start = NULL,
                            modified_at = now()
                        WHERE id = :id""")
                .param("id", id).param("status", status.wireName()).param("index", periodIndex)
                .param("start", at(start)).param("end", at(end)).param("order", dunning.orderId())
                .param("pastDueAt", at(dunning.pastDueAt())).param("attempts", dunning.attempts())
                .param("next", at(dunning.nextAttemptAt())).update();
    }

    /**
     * A payment's outcome: the status and the dunning state ({@link Dunning#NONE} clears it), in one
     * statement, since the table checks that only a past-due subscription has a retry scheduled.
     */
    void payment(UUID id, SubscriptionStatus status, Dunning dunning) {
        jdbc.sql("""
                        UPDATE subscriptions SET status = :status, dunning_order_id = :order, past_due_at = :pastDueAt,
                            payment_attempts = :attempts, next_payment_attempt_at = :next, modified_at = now()
                        WHERE id = :id""")
                .param("id", id).param("status", status.wireName()).param("order", dunning.orderId())
                .param("pastDueAt", at(dunning.pastDueAt())).param("attempts", dunning.attempts())
                .param("next", at(dunning.nextAttemptAt())).update();
    }

    /** What a plan change writes: the new product, its prices and amount, and the cycle it is on. */
    record ProductChange(UUID productId, long amount, Recurrence recurrence, Instant billingAnchor, long periodIndex,
                         Instant periodStart, Instant periodEnd, Instant usagePeriodStart, List<UUID> priceIds) {
    }

    /** Swaps the product and the prices sold, and clears any pending update (a change replaces it). */
    void changeProduct(UUID id, ProductChange c) {
        jdbc.sql("""
                        UPDATE subscriptions SET product_id = :product, amount = :amount, recurring_interval = :interval,
                            recurring_interval_count = :count, billing_anchor = :anchor, period_index = :index,
                            current_period_start = :start, current_period_end = :end,
                            usage_period_start = :usageStart, pending_update_id = NULL, pending_product_id = NULL,
                            pending_update_applies_at = NULL, pending_update_created_at = NULL,
                            ends_at = CASE WHEN cancel_at_period_end THEN :end ELSE ends_at END, modified_at = now()
                        WHERE id = :id""")
                .param("id", id).param("product", c.productId()).param("amount", c.amount())
                .param("interval", c.recurrence().interval().wireName())
                .param("count", c.recurrence().intervalCount()).param("anchor", at(c.billingAnchor()))
                .param("index", c.periodIndex()).param("start", at(c.periodStart())).param("end", at(c.periodEnd()))
                .param("usageStart", at(c.usagePeriodStart())).update();
        jdbc.sql("DELETE FROM subscription_prices WHERE subscription_id = :id").param("id", id).update();
        jdbc.sql("""
                        INSERT INTO subscription_prices (subscription_id, currency, price_id)
                        SELECT s.id, s.currency, p FROM subscriptions s, unnest(CAST(:prices AS uuid[])) AS p
                        WHERE s.id = :id""")
                .param("id", id).param("prices", c.priceIds().toArray(UUID[]::new)).update();
    }

    /** Polar's {@code PendingSubscriptionUpdate}: the product to switch to when the current period ends. */
    void schedulePending(UUID id, UUID productId, Instant appliesAt, Instant now) {
        jdbc.sql("""
                        UPDATE subscriptions SET pending_update_id = :pending, pending_product_id = :product,
                            pending_update_applies_at = :appliesAt, pending_update_created_at = :now, modified_at = now()
                        WHERE id = :id""")
                .param("id", id).param("pending", Uuid7.generate()).param("product", productId)
                .param("appliesAt", at(appliesAt)).param("now", at(now)).update();
    }

    /** What a renewal moved, for the audit log: status, period and product after the sweep. */
    Map<String, Object> state(UUID id) {
        return jdbc.sql("""
                        SELECT status, current_period_start, current_period_end, product_id FROM subscriptions
                        WHERE id = :id""")
                .param("id", id).query((rs, n) -> {
                    Map<String, Object> state = new java.util.LinkedHashMap<>();
                    state.put("status", rs.getString("status"));
                    state.put("current_period_start", instant(rs, "current_period_start").toString());
                    state.put("current_period_end", instant(rs, "current_period_end").toString());
                    state.put("product_id", rs.getObject("product_id", UUID.class).toString());
                    return state;
                }).single();
    }

    List<UUID> priceIds(UUID subscriptionId) {
        return jdbc.sql("SELECT price_id FROM subscription_prices WHERE subscription_id = :id ORDER BY price_id")
                .param("id", subscriptionId).query(UUID.class).list();
    }

    void event(UUID organizationId, UUID subscriptionId, String type, SubscriptionStatus from, SubscriptionStatus to,
               Instant occurredAt, Map<String, Object> detail) {
        jdbc.sql("""
                        INSERT INTO subscription_events (id, organization_id, subscription_id, type, from_status,
                                                         to_status, occurred_at, detail)
                        VALUES (:id, :org, :sub, :type, :from, :to, :at, CAST(:detail AS jsonb))""")
                .param("id", Uuid7.generate()).param("org", organizationId).param("sub", subscriptionId)
                .param("type", type).param("from", from == null ? null : from.wireName()).param("to", to.wireName())
                .param("at", at(occurredAt)).param("detail", JsonBody.MAPPER.writeValueAsString(detail)).update();
    }

    public Optional<Subscription> find(UUID organizationId, UUID id) {
        return jdbc.sql("SELECT *, metadata::text AS metadata_text FROM subscriptions"
                        + " WHERE organization_id = :org AND id = :id")
                .param("org", organizationId).param("id", id).query((rs, n) -> view(rs)).optional().map(s -> complete(organizationId, List.of(s)).get(0));
    }

    /** Subscriptions by id, completed, in a fixed number of queries (a page of orders embeds them). */
    public Map<UUID, Subscription> findByIds(UUID organizationId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Subscription> found = jdbc.sql("SELECT *, metadata::text AS metadata_text FROM subscriptions"
                        + " WHERE organization_id = :org AND id = ANY (CAST(:ids AS uuid[]))")
                .param("org", organizationId).param("ids", ids.toArray(UUID[]::new)).query((rs, n) -> view(rs)).list();
        Map<UUID, Subscription> out = new HashMap<>();
        complete(organizationId, found).forEach(sub -> out.put(sub.id(), sub));
        return out;
    }

    public record Listing(List<Subscription> items, long total) {
    }

    public Listing list(UUID organizationId, List<UUID> customerIds, List<String> externalCustomerIds,
                        List<UUID> productIds, Boolean active, List<String> statuses, String orderBy,
                        PageRequest page) {
        String where = """
                 FROM subscriptions s WHERE s.organization_id = :org
                  AND (cardinality(CAST(:customers AS uuid[])) = 0 OR s.customer_id = ANY (CAST(:customers AS uuid[])))
                  AND (cardinality(CAST(:externals AS text[])) = 0 OR s.customer_id IN (SELECT c.id FROM customers c
                       WHERE c.organization_id = :org AND c.external_id = ANY (CAST(:externals AS text[]))))
                  AND (cardinality(CAST(:products AS uuid[])) = 0 OR s.product_id = ANY (CAST(:products AS uuid[])))
                  AND (CAST(:active AS boolean) IS NULL
                       OR (s.status IN ('trialing', 'active')) = CAST(:active AS boolean))
                  AND (cardinality(CAST(:statuses AS text[])) = 0 OR s.status = ANY (CAST(:statuses AS text[])))
                """;
        Object[] params = {customerIds.toArray(UUID[]::new), externalCustomerIds.toArray(String[]::new),
                productIds.toArray(UUID[]::new), statuses.toArray(String[]::new)};
        long total = jdbc.sql("SELECT count(*)" + where).param("org", organizationId).param("customers", params[0])
                .param("externals", params[1]).param("products", params[2]).param("active", active)
                .param("statuses", params[3]).query(Long.class).single();
        List<Subscription> items = jdbc.sql("SELECT s.*, s.metadata::text AS metadata_text" + where + " ORDER BY "
                        + orderBy + ", s.id LIMIT :limit OFFSET :offset")
                .param("org", organizationId).param("customers", params[0]).param("externals", params[1])
                .param("products", params[2]).param("active", active).param("statuses", params[3])
                .param("limit", page.limit()).param("offset", page.offset())
                .query((rs, n) -> view(rs)).list();
        return new Listing(complete(organizationId, items), total);
    }

    /** The history of one subscription, oldest first: {@code type from→to at}. */
    public List<Map<String, Object>> history(UUID subscriptionId) {
        return jdbc.sql("""
                        SELECT type, from_status, to_status, occurred_at FROM subscription_events
                        WHERE subscription_id = :id ORDER BY recorded_at, id""")
                .param("id", subscriptionId).query().listOfRows();
    }

    /**
     * Adds the customer, the product and the prices sold to every subscription of a page: five queries
     * whatever the page's size (prices sold, customers, products and their prices, the prices sold's rows),
     * never a query per item.
     */
    private List<Subscription> complete(UUID org, List<Subscription> page) {
        if (page.isEmpty()) {
            return page;
        }
        Map<UUID, List<UUID>> sold = new HashMap<>();
        jdbc.sql("SELECT subscription_id, price_id FROM subscription_prices"
                        + " WHERE subscription_id = ANY (CAST(:ids AS uuid[]))")
                .param("ids", page.stream().map(Subscription::id).toArray(UUID[]::new))
                .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list()
                .forEach(e -> sold.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<UUID, Customer> customers = this.customers.findByIds(org,
                page.stream().map(Subscription::customerId).collect(Collectors.toSet()));
        Map<UUID, Product> products = this.products.findByIds(org,
                page.stream().map(Subscription::productId).collect(Collectors.toSet()));
        List<ProductPrice> prices = this.products.pricesByIds(org,
                sold.values().stream().flatMap(List::stream).distinct().toList());
        return page.stream().map(s -> {
            Set<UUID> mine = Set.copyOf(sold.getOrDefault(s.id(), List.of()));
            return complete(s, customers.get(s.customerId()), products.get(s.productId()),
                    prices.stream().filter(p -> mine.contains(p.id())).toList());
        }).toList();
    }

    private static Subscription complete(Subscription s, Customer customer, Product product, List<ProductPrice> sold) {
        return new Subscription(s.createdAt(), s.modifiedAt(), s.id(), s.amount(), s.currency(), s.recurringInterval(),
                s.recurringIntervalCount(), s.status(), s.currentPeriodStart(), s.currentPeriodEnd(),
                s.currentMeterPeriodStart(), s.currentMeterPeriodEnd(), s.trialStart(), s.trialEnd(),
                s.cancelAtPeriodEnd(), s.canceledAt(), s.startedAt(), s.endsAt(), s.endedAt(), s.pastDueAt(), false,
                null, null,
                s.customerId(), s.productId(), s.discountId(), null, null, null, null, s.metadata(), Map.of(),
                customer, product, null, sold, List.of(), s.pendingUpdate());
    }

    /** The row's own columns; {@link #complete} adds the rest. */
    private static Subscription view(ResultSet rs) throws SQLException {
        OffsetDateTime start = rs.getObject("current_period_start", OffsetDateTime.class);
        OffsetDateTime end = rs.getObject("current_period_end", OffsetDateTime.class);
        return new Subscription(rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("modified_at", OffsetDateTime.class), rs.getObject("id", UUID.class), rs.getLong("amount"),
                rs.getString("currency"), rs.getString("recurring_interval"), rs.getInt("recurring_interval_count"),
                rs.getString("status"), start, end, start, end, rs.getObject("trial_start", OffsetDateTime.class),
                rs.getObject("trial_end", OffsetDateTime.class), rs.getBoolean("cancel_at_period_end"),
                rs.getObject("canceled_at", OffsetDateTime.class), rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("ends_at", OffsetDateTime.class), rs.getObject("ended_at", OffsetDateTime.class),
                rs.getObject("past_due_at", OffsetDateTime.class), false, null, null, rs.getObject("customer_id", UUID.class), rs.getObject("product_id", UUID.class),
                rs.getObject("discount_id", UUID.class), null, null, null, null, json(rs.getString("metadata_text")), Map.of(), null, null, null,
                List.of(), List.of(), pendingUpdate(rs));
    }

    /** Polar's {@code PendingSubscriptionUpdate}, or null. */
    private static Map<String, Object> pendingUpdate(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("pending_update_id", UUID.class);
        if (id == null) {
            return null;
        }
        Map<String, Object> update = new java.util.LinkedHashMap<>();
        update.put("created_at", rs.getObject("pending_update_created_at", OffsetDateTime.class));
        update.put("modified_at", null);
        update.put("id", id);
        update.put("applies_at", rs.getObject("pending_update_applies_at", OffsetDateTime.class));
        update.put("product_id", rs.getObject("pending_product_id", UUID.class));
        update.put("seats", null);
        update.put("units", null);
        return update;
    }

    private static SubscriptionRow row(ResultSet rs) throws SQLException {
        return new SubscriptionRow(rs.getObject("id", UUID.class), rs.getObject("organization_id", UUID.class),
                SubscriptionStatus.fromWire(rs.getString("status")),
                new Recurrence(Recurrence.Interval.fromWire(rs.getString("recurring_interval")),
                        rs.getInt("recurring_interval_count")),
                instant(rs, "billing_anchor"), rs.getLong("period_index"), instant(rs, "current_period_start"),
                instant(rs, "current_period_end"), instant(rs, "trial_end"), rs.getBoolean("cancel_at_period_end"),
                new Dunning(rs.getObject("dunning_order_id", UUID.class), instant(rs, "past_due_at"),
                        rs.getInt("payment_attempts"), instant(rs, "next_payment_attempt_at")),
                rs.getObject("customer_id", UUID.class), rs.getObject("product_id", UUID.class),
                rs.getString("currency"), instant(rs, "usage_period_start"),
                rs.getObject("pending_product_id", UUID.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static JsonNode json(String text) {
        return JsonBody.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
