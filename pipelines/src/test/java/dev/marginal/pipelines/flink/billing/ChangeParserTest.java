package dev.marginal.pipelines.flink.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChangeParserTest {

    static final String ORDER_PAID = """
            {"before":null,"after":{"id":"0190-o","organization_id":"org-1","status":"paid","net_amount":2900,
             "metadata":"{\\"a\\":1}","created_at":"2024-03-01T00:00:00Z"},
             "source":{"lsn":123456,"ts_us":1709251200000001},"op":"u","ts_ms":1709251200500}""";

    @Test
    void anUpdateKeepsItsRowAsJsonWithItsKeyOrganisationAndWalPosition() {
        ChangeParser.Outcome outcome = ChangeParser.parse("marginal.cdc.orders", ORDER_PAID);

        assertThat(outcome).isInstanceOfSatisfying(ChangeParser.Parsed.class, p -> {
            CdcChange c = p.change();
            assertThat(c.table()).isEqualTo("orders");
            assertThat(c.id()).isEqualTo("0190-o");
            assertThat(c.organizationId()).isEqualTo("org-1");
            assertThat(c.op()).isEqualTo("u");
            assertThat(c.lsn()).isEqualTo(123456L);
            assertThat(c.committedAt()).isEqualTo(Instant.parse("2024-03-01T00:00:00.000001Z"));
            assertThat(BillingRows.orderIdOf(c.data())).isNull();
            assertThat(c.data()).contains("\"net_amount\":2900");
            assertThat(CdcChange.of(c.toRowData())).isEqualTo(c);
        });
    }

    @Test
    void aDeleteIsReadFromItsBeforeRow() {
        String delete = """
                {"before":{"id":"c-1","organization_id":null},"after":null,"source":{"lsn":9},"op":"d"}""";
        assertThat(ChangeParser.parse("marginal.cdc.customers", delete)).isInstanceOfSatisfying(ChangeParser.Parsed.class,
                p -> assertThat(p.change().op()).isEqualTo("d"));
    }

    @Test
    void unusableRecordsAreRejectedWithTheReasonAndTombstonesSkipped() {
        assertThat(ChangeParser.parse("marginal.cdc.orders", null)).isInstanceOf(ChangeParser.Skipped.class);
        assertThat(ChangeParser.parse("marginal.cdc.orders", "{not json")).isInstanceOfSatisfying(ChangeParser.Rejected.class,
                r -> assertThat(r.reason()).startsWith("not JSON"));
        assertThat(ChangeParser.parse("marginal.cdc.orders", "{\"op\":\"x\",\"after\":{\"id\":\"1\"}}"))
                .isInstanceOf(ChangeParser.Rejected.class);
        assertThat(ChangeParser.parse("marginal.cdc.orders", "{\"op\":\"c\",\"after\":{\"status\":\"paid\"}}"))
                .isInstanceOfSatisfying(ChangeParser.Rejected.class, r -> assertThat(r.reason()).contains("without an 'id'"));
    }

    @Test
    void aTableKeyedByColumnsOtherThanIdIsKeyedByThemAndBelongsToNoOrganisation() {
        // Debezium sends a DATE as days since 1970-01-01: 20,148 is 2025-03-01.
        String rate = """
                {"before":null,"after":{"base_currency":"eur","quote_currency":"usd","rate_date":20148,
                 "rate":"1.083400000000","source":"ecb"},"source":{"lsn":77},"op":"c"}""";
        assertThat(ChangeParser.parse("marginal.cdc.fx_rates", rate)).isInstanceOfSatisfying(ChangeParser.Parsed.class, p -> {
            assertThat(p.change().id()).isEqualTo("eur/usd/20148");
            assertThat(p.change().organizationId()).isNull();
        });
        assertThat(ChangeParser.parse("marginal.cdc.fx_rates", "{\"op\":\"c\",\"after\":{\"base_currency\":\"eur\"}}"))
                .isInstanceOfSatisfying(ChangeParser.Rejected.class,
                        r -> assertThat(r.reason()).contains("without its key columns [base_currency, quote_currency, rate_date]"));
    }
}
