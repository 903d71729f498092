package dev.marginal.pipelines.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.embedded.KafkaConnectUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CDC runner's offsets survive a crash in the middle of a flush, in Kafka's own file format. */
class DurableFileOffsetBackingStoreTest {

    @TempDir
    Path dir;

    static final ByteBuffer PARTITION = bytes("[\"marginal-cdc\",{\"server\":\"marginal\"}]");

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    StandaloneConfig config(Path file) {
        return new StandaloneConfig(Map.of(
                StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG, file.toString(),
                "key.converter", JsonConverter.class.getName(),
                "value.converter", JsonConverter.class.getName()));
    }

    static <S extends MemoryOffsetBackingStore> S started(S store, StandaloneConfig config) {
        store.configure(config);
        store.start();
        return store;
    }

    /** Kafka's store as Debezium's embedded engine builds it for {@code FileOffsetBackingStore}. */
    static FileOffsetBackingStore kafkasStore() {
        return new FileOffsetBackingStore(KafkaConnectUtil.converterForOffsetStore());
    }

    static void flush(MemoryOffsetBackingStore store, String offset) throws Exception {
        store.set(Map.of(PARTITION, bytes(offset)), null).get();
    }

    static String read(MemoryOffsetBackingStore store) throws Exception {
        ByteBuffer value = store.get(List.of(PARTITION)).get().get(PARTITION);
        return value == null ? null : StandardCharsets.UTF_8.decode(value).toString();
    }

    @Test
    void aFlushInterruptedByACrashLeavesTheLastCompleteOffsets() throws Exception {
        Path file = dir.resolve("offsets.dat");
        DurableFileOffsetBackingStore store = started(new DurableFileOffsetBackingStore(), config(file));
        flush(store, "{\"lsn\":100}");
        flush(store, "{\"lsn\":200}");
        store.stop();
        assertThat(dir.resolve("offsets.dat.tmp")).as("renamed into place").doesNotExist();

        // A kill -9 during the next flush: the temporary file half written, the offsets file untouched.
        Files.write(dir.resolve("offsets.dat.tmp"), new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 's'});

        DurableFileOffsetBackingStore restarted = started(new DurableFileOffsetBackingStore(), config(file));
        assertThat(read(restarted)).isEqualTo("{\"lsn\":200}");
        restarted.stop();
    }

    @Test
    void everyFlushReplacesTheFileInsteadOfRewritingItInPlace() throws Exception {
        assertThat(secondFlushReplacesTheFile(new DurableFileOffsetBackingStore(), dir.resolve("offsets.dat")))
                .as("a new file renamed over the old one").isTrue();
        // Kafka's store truncates and rewrites the same file: a crash in between leaves it empty.
        assertThat(secondFlushReplacesTheFile(kafkasStore(),
                dir.resolve("kafka.dat"))).isFalse();
    }

    private boolean secondFlushReplacesTheFile(MemoryOffsetBackingStore store, Path file) throws Exception {
        started(store, config(file));
        flush(store, "{\"lsn\":100}");
        Object before = Files.getAttribute(file, "unix:ino");
        flush(store, "{\"lsn\":200}");
        Object after = Files.getAttribute(file, "unix:ino");
        store.stop();
        return !after.equals(before);
    }

    @Test
    void kafkasStoreAndThisOneReadEachOthersFiles() throws Exception {
        Path ours = dir.resolve("ours.dat");
        DurableFileOffsetBackingStore durable = started(new DurableFileOffsetBackingStore(), config(ours));
        flush(durable, "{\"lsn\":300}");
        durable.stop();
        FileOffsetBackingStore kafka = started(kafkasStore(), config(ours));
        assertThat(read(kafka)).as("Kafka's store reading ours").isEqualTo("{\"lsn\":300}");
        kafka.stop();

        // An offsets file an earlier release wrote with Kafka's store is read after the upgrade.
        Path theirs = dir.resolve("theirs.dat");
        FileOffsetBackingStore earlier = started(kafkasStore(), config(theirs));
        flush(earlier, "{\"lsn\":400}");
        earlier.stop();
        DurableFileOffsetBackingStore upgraded = started(new DurableFileOffsetBackingStore(), config(theirs));
        assertThat(read(upgraded)).as("ours reading Kafka's").isEqualTo("{\"lsn\":400}");
        upgraded.stop();
    }
}
