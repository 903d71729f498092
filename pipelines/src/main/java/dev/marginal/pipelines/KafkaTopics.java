package dev.marginal.pipelines;

import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a runner writes to when they are missing; existing topics are left alone. */
public final class KafkaTopics {

    /** Partitions per new topic; one keeps a table's changes in commit order, and suffices locally. */
    public static final int PARTITIONS = Integer.getInteger("marginal.topic.partitions", 1);
    public static final short REPLICATION = Short.parseShort(System.getProperty("marginal.topic.replication", "1"));

    private KafkaTopics() {
    }

    public static void ensureTopics(String bootstrap, Collection<String> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, PARTITIONS, REPLICATION))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topics, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create topics " + topics, e.getCause());
        }
    }
}
