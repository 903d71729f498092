package dev.marginal.pipelines.flink;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/**
 * What one change carries from the parser through de-duplication: the {@code raw.events} row and
 * its {@code usage_costs} row (null when its cost data was unreadable), as one row of two nested
 * rows, so that a single de-duplication decides for every table the job writes.
 */
public final class EventFacts {

    static final RowType RAW_EVENT = FlinkSchemaUtil.convert(RawEventsTable.SCHEMA);
    static final RowType USAGE_COST = FlinkSchemaUtil.convert(UsageCostsTable.SCHEMA);
    static final RowType FACTS = RowType.of(
            new LogicalType[] {RAW_EVENT.copy(false), USAGE_COST.copy(true)}, new String[] {"event", "usage_cost"});

    public static final InternalTypeInfo<RowData> TYPE = InternalTypeInfo.of(FACTS);
    public static final InternalTypeInfo<RowData> RAW_EVENT_TYPE = InternalTypeInfo.of(RAW_EVENT);
    public static final InternalTypeInfo<RowData> USAGE_COST_TYPE = InternalTypeInfo.of(USAGE_COST);

    private EventFacts() {
    }

    public static RowData of(RawEvent event, UsageCost cost) {
        return GenericRowData.of(event.toRowData(), cost == null ? null : cost.toRowData());
    }

    public static RowData raw(RowData facts) {
        return facts.getRow(0, RAW_EVENT.getFieldCount());
    }

    public static RowData cost(RowData facts) {
        return facts.isNullAt(1) ? null : facts.getRow(1, USAGE_COST.getFieldCount());
    }

    /** The de-duplication key: the event's id. */
    public static String idOf(RowData facts) {
        return RawEvent.idOf(raw(facts));
    }
}
