package dev.marginal.billing.meter;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.audit.AuditLog;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.http.ListResource;
import dev.marginal.billing.http.PageRequest;
import dev.marginal.billing.http.PathIds;
import dev.marginal.billing.http.Query;
import dev.marginal.billing.organization.OrganizationGrant;
import dev.marginal.billing.organization.Organizations;
import dev.marginal.billing.organization.Scope;
import dev.marginal.billing.problem.ApiException;
import dev.marginal.pricing.meter.MeterQuantities;
import dev.marginal.pricing.meter.TimeInterval;
import jakarta.servlet.http.HttpServletRequest;

/** Polar's {@code /v1/meters/} routes. */
@RestController
public class MeterController {

    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Map<String, String> SORTS = Map.of("name", "name", "created_at", "created_at");
    private static final Set<String> INTERVALS = Set.of("hour", "day", "week", "month", "year");

    /** Polar's {@code MeterQuantity} and {@code MeterQuantities}. */
    public record Quantity(OffsetDateTime timestamp, BigDecimal quantity) {
    }

    public record Quantities(List<Quantity> quantities, BigDecimal total) {
    }

    private final Organizations organizations;
    private final JsonBody jsonBody;
    private final MeterRepository repository;
    private final MeterUsage usage;

    private final AuditLog audit;

    public MeterController(Organizations organizations, JsonBody jsonBody, MeterRepository repository, MeterUsage usage, AuditLog audit) {
        this.audit = audit;
        this.organizations = organizations;
        this.jsonBody = jsonBody;
        this.repository = repository;
        this.usage = usage;
    }

    private OrganizationGrant reader(String authorization) {
        return organizations.authenticate(authorization).requireAny(Scope.METERS_READ, Scope.METERS_WRITE);
    }

    @GetMapping({"/v1/meters/", "/v1/meters"})
    ListResource<Meter> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                             HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        Query query = new Query(request);
        PageRequest page = query.page();
        String search = query.string("query");
        Boolean archived = query.bool("is_archived");
        List<String> sorting = query.sorting(SORTS.keySet(), List.of("name"));
        query.refuse(Set.of("metadata"));
        query.done();
        String orderBy = String.join(", ", sorting.stream().map(s -> s.startsWith("-")
                ? SORTS.get(s.substring(1)) + " DESC" : SORTS.get(s) + " ASC").toList());
        MeterRepository.Listing listing = repository.list(grant.organizationId(), search, archived, List.of(), orderBy,
                page);
        return ListResource.of(listing.items(), listing.total(), page);
    }

    @PostMapping({"/v1/meters/", "/v1/meters"})
    @Transactional
    ResponseEntity<Meter> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                 HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.METERS_WRITE);
        MeterDraft draft = MeterRules.create(jsonBody.read(request, MAX_BODY_BYTES));
        Meter created = repository.insert(grant.organizationId(), draft);
        audit.record(grant.organizationId(), "meter.created", "meter", created.id(), null, created);
        return ResponseEntity.status(HttpStatus.CREATED).body(created);
    }

    @GetMapping("/v1/meters/{id}")
    Meter get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
              @PathVariable("id") String id) {
        OrganizationGrant grant = reader(authorization);
        return repository.find(grant.organizationId(), PathIds.uuid("id", id)).orElseThrow(MeterController::notFound);
    }

    @PatchMapping("/v1/meters/{id}")
    @Transactional
    Meter update(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                 @PathVariable("id") String id, HttpServletRequest request) {
        OrganizationGrant grant = organizations.authenticate(authorization).require(Scope.METERS_WRITE);
        UUID meterId = PathIds.uuid("id", id);
        MeterRules.Update update = MeterRules.update(jsonBody.read(request, MAX_BODY_BYTES));
        Meter before = repository.find(grant.organizationId(), meterId).orElseThrow(MeterController::notFound);
        Meter after = repository.update(grant.organizationId(), meterId, update.draft(), update.archived())
                .orElseThrow(MeterController::notFound);
        audit.record(grant.organizationId(), "meter.updated", "meter", meterId, before, after);
        return after;
    }

    @GetMapping("/v1/meters/{id}/quantities")
    Quantities quantities(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                          @PathVariable("id") String id, HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        UUID meterId = PathIds.uuid("id", id);
        Query query = new Query(request);
        OffsetDateTime start = query.timestamp("start_timestamp", true);
        OffsetDateTime end = query.timestamp("end_timestamp", true);
        String interval = query.oneOf("interval", INTERVALS, true);
        ZoneId zone = zone(query);
        List<UUID> customerIds = query.uuids("customer_id");
        List<String> externalCustomerIds = query.strings("external_customer_id");
        query.refuse(Set.of("customer_aggregation_function", "metadata"));
        if (start != null && end != null && end.isBefore(start)) {
            query.violations().add(List.of("query", "end_timestamp"), "end_timestamp must not be before start_timestamp",
                    "value_error");
        }
        query.done();
        Meter meter = repository.find(grant.organizationId(), meterId).orElseThrow(MeterController::notFound);
        MeterQuantities quantities;
        try {
            quantities = new MeterQuantities(meter.filterRule(), meter.aggregationRule(), start.toInstant(),
                    end.toInstant(), TimeInterval.valueOf(interval.toUpperCase(Locale.ROOT)), zone);
        } catch (IllegalArgumentException e) {
            query.violations().add(List.of("query", "interval"), e.getMessage(), "value_error");
            query.done();
            throw e;
        }
        usage.measure(meter, quantities, customerIds, externalCustomerIds);
        List<Quantity> periods = quantities.quantities().stream()
                .map(p -> new Quantity(p.start().toOffsetDateTime(), p.quantity())).toList();
        return new Quantities(periods, quantities.total());
    }

    private static ZoneId zone(Query query) {
        String timezone = query.string("timezone");
        if (timezone == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            query.violations().add(List.of("query", "timezone"), "Input should be a valid IANA time zone", "enum");
            return ZoneId.of("UTC");
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("Meter not found.");
    }
}
