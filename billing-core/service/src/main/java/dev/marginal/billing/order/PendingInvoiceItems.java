package dev.marginal.billing.order;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.marginal.billing.id.Uuid7;
import dev.marginal.pricing.Money;
import dev.marginal.pricing.invoice.InvoiceLine;
import dev.marginal.pricing.invoice.LineKind;
import dev.marginal.pricing.period.ServicePeriod;

/**
 * Stripe's pending invoice items: lines a plan change made (or a credit its own order could not
 * use) waiting for the subscription's next order. Each is billed once: the order that takes it
 * sets its {@code order_id}, which the table then refuses to change ({@code V18}).
 */
@Repository
public class PendingInvoiceItems {

    private final JdbcClient jdbc;

    public PendingInvoiceItems(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(UUID organizationId, UUID subscriptionId, List<Orders.Line> lines, Instant at) {
        for (int position = 0; position < lines.size(); position++) {
            Orders.Line line = lines.get(position);
            InvoiceLine l = line.line();
            jdbc.sql("""
                            INSERT INTO pending_invoice_items (id, organization_id, subscription_id, label, kind, quantity,
                                unit, amount, currency, product_price_id, start_timestamp, end_timestamp, created_at, position)
                            VALUES (:id, :org, :sub, :label, :kind, :quantity, :unit, :amount, :currency, :price, :start,
                                    :end, :at, :position)""")
                    .param("id", Uuid7.generate()).param("org", organizationId).param("sub", subscriptionId)
                    .param("label", l.description()).param("kind", l.kind().wireName()).param("quantity", l.quantity())
                    .param("unit", l.unit()).param("amount", l.amount().minorUnits())
                    .param("currency", l.amount().currency().getCurrencyCode().toLowerCase(Locale.ROOT))
                    .param("price", line.priceId()).param("start", at(l.period().start()))
                    .param("end", at(l.period().end())).param("at", at(at)).param("position", position).update();
        }
    }

    /** The subscription's unbilled items, oldest first, locked; their ids are added to {@code ids}. */
    List<Orders.Line> open(UUID subscriptionId, Currency currency, List<UUID> ids) {
        return jdbc.sql("""
                        SELECT * FROM pending_invoice_items WHERE subscription_id = :sub AND order_id IS NULL
                        ORDER BY created_at, position FOR UPDATE""")
                .param("sub", subscriptionId).query((rs, n) -> {
                    ids.add(rs.getObject("id", UUID.class));
                    return line(rs, currency);
                }).list();
    }

    void billed(List<UUID> ids, UUID orderId) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE pending_invoice_items SET order_id = :order WHERE id = ANY (CAST(:ids AS uuid[]))")
                .param("order", orderId).param("ids", ids.toArray(UUID[]::new)).update();
    }

    /** The unbilled total of a subscription, for tests and the README's figures. */
    public long openAmount(UUID subscriptionId) {
        return jdbc.sql("SELECT coalesce(sum(amount), 0) FROM pending_invoice_items"
                        + " WHERE subscription_id = :sub AND order_id IS NULL")
                .param("sub", subscriptionId).query(Long.class).single();
    }

    private static Orders.Line line(ResultSet rs, Currency currency) throws SQLException {
        ServicePeriod period = new ServicePeriod(rs.getObject("start_timestamp", OffsetDateTime.class).toInstant(),
                rs.getObject("end_timestamp", OffsetDateTime.class).toInstant());
        BigDecimal quantity = rs.getBigDecimal("quantity").stripTrailingZeros();
        LineKind kind = LineKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT));
        return new Orders.Line(new InvoiceLine(rs.getString("label"), kind, period, quantity, rs.getString("unit"),
                new Money(rs.getLong("amount"), currency)), rs.getObject("product_price_id", UUID.class));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
