package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.UsageCost;
import dev.marginal.pipelines.flink.accrual.CatalogRows;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * The usage half of {@code customer_day_deltas}: each {@code usage_costs} row (input 1) as a
 * customer-day row naming its customer by billing-core id, as revenue rows do, so that a
 * customer's revenue and cost of a day merge into one row when the day closes (at 50 M events that
 * halves what {@code customer_margins} reads). Keyed by organisation; input 2 is the
 * organisation's customer changes, for the external ids events are sent under.
 *
 * <p>An event whose external id no customer holds yet stays under that external id, and the view
 * matches it when the customer appears: the figures are the same either way, only the number of
 * rows differs.
 */
public final class CustomerDayUsage extends KeyedCoProcessFunction<String, RowData, RowData, RowData> {

    private transient MapState<String, String> customerByExternalId;

    @Override
    public void open(OpenContext openContext) {
        customerByExternalId = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("customer-by-external-id", Types.STRING, Types.STRING));
    }

    @Override
    public void processElement1(RowData usageCost, Context ctx, Collector<RowData> out) throws Exception {
        UsageCost call = UsageCost.of(usageCost);
        String customerId = call.customerId() != null || call.externalCustomerId() == null ? call.customerId()
                : customerByExternalId.get(call.externalCustomerId());
        out.collect(CustomerDayDeltas.ofUsage(call, customerId));
    }

    @Override
    public void processElement2(RowData row, Context ctx, Collector<RowData> out) throws Exception {
        CdcChange change = CdcChange.of(row);
        if (!change.table().equals("customers") || change.op().equals(CdcChange.DELETE)) {
            return; // external ids are never reused, so a deleted customer's entry misleads no one
        }
        try {
            CatalogRows.Customer customer = CatalogRows.customer(change.data());
            if (customer.externalId() != null) {
                customerByExternalId.put(customer.externalId(), customer.id());
            }
        } catch (BillingRows.Unreadable | IllegalArgumentException e) {
            // AccruedUsage reads the same change and sends it to the DLQ; here its events stay under their external id.
        }
    }
}
