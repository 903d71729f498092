package dev.marginal.pipelines.cdc;

import io.debezium.embedded.KafkaConnectUtil;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;

/**
 * The CDC runner's offsets file, written so that a crash never loses it: Kafka's
 * {@link FileOffsetBackingStore} truncates the file and writes it again at every flush (each
 * second), so a kill -9 in between leaves it empty, the runner starts "with no previous offset" and
 * snapshots every table again (seen once in {@code EventsToIcebergIT}: events streamed before the
 * kill came back as snapshot reads). Here each flush writes a temporary file, forces it to disk
 * and renames it over the offsets file atomically: the file always holds the last complete flush.
 * Same format as Kafka's (loading is Kafka's own), so either store reads the other's file.
 */
public final class DurableFileOffsetBackingStore extends FileOffsetBackingStore {

    private Path file;

    /** What Debezium's embedded engine calls for an {@code offset.storage} class of its own. */
    public DurableFileOffsetBackingStore() {
        super(KafkaConnectUtil.converterForOffsetStore());
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        file = Path.of(config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG));
    }

    /**
     * Kafka's {@code save} in Kafka's format, to a temporary file renamed into place. Kafka's also
     * records each key's connector partition for Connect's offsets REST API
     * ({@link #connectorPartitions}); the embedded engine never asks for them (Debezium's own
     * in-memory store answers null), so here they stay those loaded at start.
     */
    @Override
    protected void save() {
        Map<byte[], byte[]> raw = new HashMap<>();
        for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
            raw.put(entry.getKey() == null ? null : entry.getKey().array(), entry.getValue() == null ? null : entry.getValue().array());
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
                 ObjectOutputStream out = new ObjectOutputStream(Channels.newOutputStream(channel))) {
                out.writeObject(raw);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ConnectException(e);
        }
    }
}
