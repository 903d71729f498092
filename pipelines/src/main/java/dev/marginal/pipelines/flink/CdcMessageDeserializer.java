package dev.marginal.pipelines.flink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps the raw text and its Kafka coordinates, so that parsing happens in an operator that can
 * divert a bad record to the dead-letter topic instead of failing the source.
 */
public final class CdcMessageDeserializer implements KafkaRecordDeserializationSchema<CdcMessage> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CdcMessage> out) {
        out.collect(new CdcMessage(record.topic(), record.partition(), record.offset(),
                text(record.key()), text(record.value())));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public TypeInformation<CdcMessage> getProducedType() {
        return TypeInformation.of(CdcMessage.class);
    }
}
