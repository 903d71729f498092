package dev.marginal.pipelines.dayclose;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The rows of one closed day as {@link ClosedLayout} wants them: merged per key (sums of the summed
 * columns; a sum over only nulls stays null, as SQL's {@code sum} does) and sorted. Pure: the same
 * rows in any order, split over any number of files, give the same result.
 */
public final class DayRollup {

    private final Schema schema;
    private final ClosedLayout layout;
    private final int[] keyPositions;
    private final int[] sumPositions;
    private final Comparator<Record> order;

    public DayRollup(Schema schema, ClosedLayout layout) {
        this.schema = schema;
        this.layout = layout;
        this.keyPositions = positions(schema, layout.keyColumns());
        this.sumPositions = positions(schema, layout.summedColumns());
        for (int position : sumPositions) {
            Type type = schema.columns().get(position).type();
            if (!(type instanceof Types.LongType) && !(type instanceof Types.DecimalType)) {
                throw new IllegalArgumentException(layout.table() + "." + schema.columns().get(position).name()
                        + " is " + type + "; only long and decimal columns are summed");
            }
        }
        Comparator<Record> byColumns = null;
        for (int position : positions(schema, layout.sortColumns())) {
            Comparator<Record> next = Comparator.comparing(r -> comparable(r.get(position)),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            byColumns = byColumns == null ? next : byColumns.thenComparing(next);
        }
        this.order = byColumns;
    }

    public List<Record> roll(Iterable<Record> rows) {
        List<Record> result = new ArrayList<>();
        if (!layout.merges()) {
            rows.forEach(r -> result.add(r.copy()));
        } else {
            Map<List<Object>, Record> merged = new HashMap<>();
            for (Record row : rows) {
                Object[] key = new Object[keyPositions.length];
                for (int i = 0; i < key.length; i++) {
                    key[i] = row.get(keyPositions[i]);
                }
                Record into = merged.get(Arrays.asList(key));
                if (into == null) {
                    merged.put(Arrays.asList(key), copy(row));
                } else {
                    for (int position : sumPositions) {
                        into.set(position, add(into.get(position), row.get(position)));
                    }
                }
            }
            result.addAll(merged.values());
        }
        result.sort(order);
        return result;
    }

    private Record copy(Record row) {
        GenericRecord copy = GenericRecord.create(schema);
        for (int i = 0; i < schema.columns().size(); i++) {
            copy.set(i, row.get(i));
        }
        return copy;
    }

    static Object add(Object a, Object b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Math.addExact(x, y);
        }
        return ((BigDecimal) a).add((BigDecimal) b);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable comparable(Object value) {
        // Iceberg hands strings out as CharSequence implementations that need not be Comparable.
        return value instanceof CharSequence s ? s.toString() : (Comparable) value;
    }

    private static int[] positions(Schema schema, List<String> columns) {
        List<String> names = schema.columns().stream().map(Types.NestedField::name).toList();
        int[] positions = new int[columns.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = names.indexOf(columns.get(i));
            if (positions[i] < 0) {
                throw new IllegalArgumentException("no column " + columns.get(i) + " in " + names);
            }
        }
        return positions;
    }
}
