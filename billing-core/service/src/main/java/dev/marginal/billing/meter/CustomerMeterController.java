package dev.marginal.billing.meter;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.marginal.billing.clock.BillingClock;
import dev.marginal.billing.customer.Customer;
import dev.marginal.billing.customer.CustomerRepository;
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

/**
 * Polar's {@code /v1/customer-meters/}: every live customer × every active meter, consumption
 * computed by the same engine as {@code /v1/meters/{id}/quantities} over all of the customer's
 * events (there are no billing periods to reset it yet).
 */
@RestController
public class CustomerMeterController {

    /** Events before 1970 are not metered here; ingest accepts them, but no real usage is that old. */
    private static final Instant BEGINNING = Instant.EPOCH;

    private final Organizations organizations;
    private final CustomerRepository customers;
    private final MeterRepository meters;
    private final MeterUsage usage;
    private final BillingClock clock;

    public CustomerMeterController(Organizations organizations, CustomerRepository customers, MeterRepository meters,
                                   MeterUsage usage, BillingClock clock) {
        this.organizations = organizations;
        this.customers = customers;
        this.meters = meters;
        this.usage = usage;
        this.clock = clock;
    }

    private OrganizationGrant reader(String authorization) {
        return organizations.authenticate(authorization).requireAny(Scope.METERS_READ, Scope.METERS_WRITE);
    }

    @GetMapping({"/v1/customer-meters/", "/v1/customer-meters"})
    ListResource<CustomerMeter> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                     HttpServletRequest request) {
        OrganizationGrant grant = reader(authorization);
        Query query = new Query(request);
        PageRequest page = query.page();
        List<UUID> customerIds = query.uuids("customer_id");
        List<String> externalIds = query.strings("external_customer_id");
        List<UUID> meterIds = query.uuids("meter_id");
        query.done();
        List<Customer> selectedCustomers = customers.select(grant.organizationId(), customerIds, externalIds);
        List<Meter> activeMeters = activeMeters(grant.organizationId(), meterIds);
        long total = (long) selectedCustomers.size() * activeMeters.size();
        List<CustomerMeter> items = new ArrayList<>();
        for (long i = page.offset(); i < Math.min(total, page.offset() + page.limit()); i++) {
            items.add(measure(selectedCustomers.get((int) (i / activeMeters.size())),
                    activeMeters.get((int) (i % activeMeters.size()))));
        }
        return ListResource.of(items, total, page);
    }

    @GetMapping("/v1/customer-meters/{id}")
    CustomerMeter get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                      @PathVariable("id") String id) {
        OrganizationGrant grant = reader(authorization);
        UUID wanted = PathIds.uuid("id", id);
        List<Meter> activeMeters = activeMeters(grant.organizationId(), List.of());
        for (Customer customer : customers.select(grant.organizationId(), List.of(), List.of())) {
            for (Meter meter : activeMeters) {
                if (CustomerMeter.idOf(customer.id(), meter.id()).equals(wanted)) {
                    return measure(customer, meter);
                }
            }
        }
        throw ApiException.notFound("Customer meter not found.");
    }

    private List<Meter> activeMeters(UUID organizationId, List<UUID> ids) {
        return meters.list(organizationId, null, false, ids, "name", new PageRequest(1, Integer.MAX_VALUE)).items();
    }

    private CustomerMeter measure(Customer customer, Meter meter) {
        Instant now = clock.now(customer.organizationId());
        MeterQuantities quantities = new MeterQuantities(meter.filterRule(), meter.aggregationRule(), BEGINNING, now,
                TimeInterval.YEAR, ZoneOffset.UTC);
        usage.measure(meter, quantities, List.of(customer.id()), List.of());
        BigDecimal consumed = quantities.total();
        OffsetDateTime created = customer.createdAt().isAfter(meter.createdAt()) ? customer.createdAt() : meter.createdAt();
        return new CustomerMeter(CustomerMeter.idOf(customer.id(), meter.id()), created, null, customer.id(), meter.id(),
                consumed, BigDecimal.ZERO, consumed.negate(), customer, meter);
    }
}
