package dev.marginal.billing.fx;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.http.Body;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.PathIds;
import dev.marginal.billing.organization.PlatformGuard;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.billing.problem.ProblemType;
import dev.marginal.billing.problem.Violations;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * The platform's admin routes for FX: load a batch of dated rates ({@code POST /v1/platform/fx-rates}
 * {@code {"source": "ecb", "rates": [{"base": "eur", "quote": "usd", "date": "2025-03-14", "rate": "1.0834"}]}}),
 * list them, and set an organisation's reporting currency. Loading is all or nothing; reloading
 * the same rate is a no-op, a different rate for a day already loaded is a 409.
 */
@RestController
public class FxRateController {

    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final PlatformGuard guard;
    private final JsonBody jsonBody;
    private final JdbcClient jdbc;

    private final AuditLog audit;

    public FxRateController(PlatformGuard guard, JsonBody jsonBody, JdbcClient jdbc, AuditLog audit) {
        this.audit = audit;
        this.guard = guard;
        this.jsonBody = jsonBody;
        this.jdbc = jdbc;
    }

    public record FxRate(String base, String quote, LocalDate date, BigDecimal rate, String source) {
    }

    @PostMapping("/v1/platform/fx-rates")
    @Transactional
    public Map<String, Integer> load(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                     String authorization, HttpServletRequest request) {
        guard.check(authorization);
        Body body = Body.of(jsonBody.read(request, MAX_BODY_BYTES), new Violations());
        String source = body.text("source", true, 100);
        JsonNode rates = body.get("rates");
        List<FxRate> parsed = new ArrayList<>();
        if (rates == null || !rates.isArray() || rates.isEmpty()) {
            body.violations().add(Body.loc("rates"), "Input should be a non-empty list", "list_type");
        } else {
            for (int i = 0; i < rates.size(); i++) {
                FxRate rate = rate(rates.get(i), i, source, body.violations());
                if (rate != null) {
                    parsed.add(rate);
                }
            }
        }
        body.violations().throwIfAny();
        int inserted = 0;
        for (FxRate r : parsed) {
            inserted += jdbc.sql("""
                            INSERT INTO fx_rates (base_currency, quote_currency, rate_date, rate, source)
                            VALUES (:base, :quote, :date, :rate, :source) ON CONFLICT DO NOTHING""")
                    .param("base", r.base()).param("quote", r.quote()).param("date", r.date())
                    .param("rate", r.rate()).param("source", r.source()).update();
            BigDecimal stored = jdbc.sql("""
                            SELECT rate FROM fx_rates WHERE base_currency = :base AND quote_currency = :quote
                              AND rate_date = :date""")
                    .param("base", r.base()).param("quote", r.quote()).param("date", r.date())
                    .query(BigDecimal.class).single();
            if (stored.compareTo(r.rate()) != 0) {
                throw new ApiException(ProblemType.ILLEGAL_TRANSITION, "The " + r.base() + "/" + r.quote() + " rate of "
                        + r.date() + " is already " + stored.stripTrailingZeros().toPlainString()
                        + "; a day's rate is never changed");
            }
        }
        Map<String, Integer> result = Map.of("inserted", inserted, "duplicates", parsed.size() - inserted);
        audit.record(null, "fx_rates.loaded", "fx_rate_batch", null, null, result);
        return result;
    }

    private static FxRate rate(JsonNode json, int i, String source, Violations violations) {
        if (json == null || !json.isObject()) {
            violations.add(Body.loc("rates", i), "Input should be a valid dictionary", "dict_type");
            return null;
        }
        Body row = Body.of(json, new Violations());
        String base = currency(row, "base");
        String quote = currency(row, "quote");
        BigDecimal rate = row.decimal("rate", true);
        if (rate != null && (rate.signum() <= 0 || rate.stripTrailingZeros().scale() > 12)) {
            row.violations().add(Body.loc("rate"), "Input should be above 0 with at most 12 decimals", "value_error");
        }
        if (base != null && base.equals(quote)) {
            row.violations().add(Body.loc("quote"), "Must differ from base", "value_error");
        }
        LocalDate date = null;
        String text = row.text("date", true, 10);
        try {
            date = text == null ? null : LocalDate.parse(text);
        } catch (DateTimeException e) {
            row.violations().add(Body.loc("date"), "Input should be a valid date (YYYY-MM-DD)", "date_parsing");
        }
        for (var error : row.violations().errors()) {
            List<Object> loc = new ArrayList<>(List.of("body", "rates", i));
            loc.addAll(error.loc().subList(1, error.loc().size()));
            violations.add(loc, error.msg(), error.type());
        }
        return row.violations().isEmpty() ? new FxRate(base, quote, date, rate, source) : null;
    }

    private static String currency(Body row, String field) {
        String code = row.text(field, true, 3);
        if (code == null) {
            return null;
        }
        try {
            if (code.matches("[a-z]{3}") && Currency.getInstance(code.toUpperCase(Locale.ROOT)) != null) {
                return code;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        row.violations().add(Body.loc(field), "Input should be an ISO 4217 currency code in lower case", "enum");
        return null;
    }

    @GetMapping("/v1/platform/fx-rates")
    public List<FxRate> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        guard.check(authorization);
        return jdbc.sql("""
                        SELECT base_currency, quote_currency, rate_date, rate, source FROM fx_rates
                        ORDER BY rate_date, base_currency, quote_currency""")
                .query((rs, n) -> new FxRate(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class),
                        rs.getBigDecimal(4).stripTrailingZeros(), rs.getString(5))).list();
    }

    /** {@code PUT /v1/platform/organizations/{id}/reporting-currency {"reporting_currency": "eur"}}. */
    @PutMapping("/v1/platform/organizations/{id}/reporting-currency")
    @Transactional
    public Map<String, String> reportingCurrency(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
                                                 String authorization, @PathVariable("id") String id,
                                                 HttpServletRequest request) {
        guard.check(authorization);
        UUID organizationId = PathIds.uuid("id", id);
        Body body = Body.of(jsonBody.read(request, MAX_BODY_BYTES), new Violations());
        String currency = currency(body, "reporting_currency");
        body.violations().throwIfAny();
        String before = jdbc.sql("SELECT reporting_currency FROM organizations WHERE id = :id FOR UPDATE")
                .param("id", organizationId).query(String.class).optional()
                .orElseThrow(() -> ApiException.notFound("Organization not found."));
        jdbc.sql("UPDATE organizations SET reporting_currency = :c WHERE id = :id")
                .param("c", currency).param("id", organizationId).update();
        Map<String, String> after = Map.of("id", organizationId.toString(), "reporting_currency", currency);
        audit.record(organizationId, "organization.reporting_currency_changed", "organization", organizationId,
                Map.of("id", organizationId.toString(), "reporting_currency", before), after);
        return after;
    }
}
