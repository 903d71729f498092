package dev.marginal.pipelines.flink;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.table.data.RowData;

/**
 * An operator that sums its input in memory and emits the sums just before each checkpoint
 * barrier ({@link #emitSums()}, which must also clear them): the delta tables' writers. The sums
 * commit in the same checkpoint as the rows they sum, and nothing is kept in state — after a
 * failure the job rewinds to the last checkpoint, whose sums were already emitted, and the
 * replayed rows are summed again from zero (exactly once, like the rows). Not keyed: at
 * parallelism n a key may get up to n rows per checkpoint; the views add them up.
 */
public abstract class PerCheckpointSums extends AbstractStreamOperator<RowData> implements OneInputStreamOperator<RowData, RowData> {

    /** Emits one row per key summed since the last barrier, and forgets them. */
    protected abstract void emitSums();

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emitSums();
    }

    /** End of a bounded input, or stop-with-savepoint --drain. */
    @Override
    public void finish() throws Exception {
        emitSums();
        super.finish();
    }
}
