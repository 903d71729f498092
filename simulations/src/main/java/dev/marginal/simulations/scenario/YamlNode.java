package dev.marginal.simulations.scenario;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node that knows its file and line, so every complaint about it can say where it is.
 * Scalars are read from their source text, never through a float: {@code 0.1} stays exactly 0.1.
 */
final class YamlNode {

    private final String file;
    private final Node node;
    private final String path;
    private final Node key;

    YamlNode(String file, Node node, String path) {
        this(file, node, path, null);
    }

    private YamlNode(String file, Node node, String path, Node key) {
        this.file = file;
        this.node = node;
        this.path = path;
        this.key = key;
    }

    /** An error about the entry itself (its name), reported at its key's line. */
    ScenarioException keyError(String reason) {
        Node at = key != null ? key : node;
        return new ScenarioException(file, at.getStartMark().getLine() + 1, reason);
    }

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    String path() {
        return path;
    }

    ScenarioException error(String reason) {
        return new ScenarioException(file, line(), reason);
    }

    boolean isNull() {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    boolean isMap() {
        return node instanceof MappingNode;
    }

    /** The entries of a mapping in file order; a key given twice is an error, not a silent override. */
    Map<String, YamlNode> map() {
        if (!(node instanceof MappingNode mapping)) {
            throw error(path + ": must be a mapping (key: value)");
        }
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            YamlNode key = new YamlNode(file, tuple.getKeyNode(), path);
            String name = key.text();
            String childPath = path.isEmpty() ? name : path + "." + name;
            if (entries.put(name, new YamlNode(file, tuple.getValueNode(), childPath, tuple.getKeyNode())) != null) {
                throw key.error(childPath + ": is given twice");
            }
        }
        return entries;
    }

    /** A mapping whose keys must all be among {@code allowed} — a typo is an error, not an ignored key. */
    Map<String, YamlNode> map(Set<String> allowed) {
        Map<String, YamlNode> entries = map();
        for (Map.Entry<String, YamlNode> entry : entries.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw entry.getValue().keyError(entry.getValue().path + ": unknown key; expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return entries;
    }

    List<YamlNode> list() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(path + ": must be a list");
        }
        List<YamlNode> items = new ArrayList<>();
        int i = 0;
        for (Node item : sequence.getValue()) {
            items.add(new YamlNode(file, item, path + "[" + i++ + "]"));
        }
        return items;
    }

    String text() {
        if (!(node instanceof ScalarNode scalar) || isNull()) {
            throw error(path + ": must be a plain value");
        }
        return scalar.getValue().strip();
    }

    BigDecimal decimal() {
        String text = text().replace("_", "");
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw error(path + ": must be a number, got '" + text + "'");
        }
    }

    long wholeNumber() {
        BigDecimal value = decimal();
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw error(path + ": must be a whole number, got " + value.toPlainString());
        }
    }

    /** A percentage written with its sign, {@code 70%} → 70; a bare number is refused as ambiguous (0.7 or 70?). */
    BigDecimal percent(boolean mayBeNegative) {
        String text = text();
        if (!text.endsWith("%")) {
            throw error(path + ": write a percentage with its % sign, e.g. 70%; got '" + text + "'");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text.substring(0, text.length() - 1).strip());
        } catch (NumberFormatException e) {
            throw error(path + ": must be a percentage such as 70%, got '" + text + "'");
        }
        if (!mayBeNegative && value.signum() < 0) {
            throw error(path + ": must not be negative, got " + text);
        }
        return value;
    }

    /**
     * A copy of this node with the scalar at {@code field} (such as {@code prices.chat.tiers[1].unit_amount})
     * set to {@code value}; a missing last key is added. This node is left as it is. Lines stay those
     * of the original, so a complaint about the copy still points into the file.
     */
    YamlNode with(String field, String value) {
        return new YamlNode(file, with(node, java.util.Arrays.asList(field.split("\\.")), field, value), path, key);
    }

    private Node with(Node at, List<String> parts, String field, String value) {
        if (parts.isEmpty()) {
            if (!(at instanceof ScalarNode scalar)) {
                throw error(path + "." + field + ": is not a single value");
            }
            return new ScalarNode(Tag.STR, true, value, scalar.getStartMark(), scalar.getEndMark(),
                    scalar.getScalarStyle());
        }
        java.util.regex.Matcher indexed = java.util.regex.Pattern.compile("([a-z_]+)\\[(\\d+)]").matcher(parts.get(0));
        String name = indexed.matches() ? indexed.group(1) : parts.get(0);
        if (!(at instanceof MappingNode mapping)) {
            throw error(path + "." + field + ": '" + name + "' is not inside a mapping");
        }
        List<NodeTuple> tuples = new ArrayList<>();
        boolean found = false;
        for (NodeTuple tuple : mapping.getValue()) {
            Node child = tuple.getValueNode();
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().strip().equals(name)) {
                found = true;
                if (indexed.matches()) {
                    if (!(child instanceof SequenceNode sequence)) {
                        throw error(path + "." + field + ": '" + name + "' is not a list");
                    }
                    int index = Integer.parseInt(indexed.group(2));
                    if (index >= sequence.getValue().size()) {
                        throw error(path + "." + field + ": '" + name + "' has " + sequence.getValue().size()
                                + " entries, there is no [" + index + "]");
                    }
                    List<Node> items = new ArrayList<>(sequence.getValue());
                    items.set(index, with(items.get(index), parts.subList(1, parts.size()), field, value));
                    child = new SequenceNode(sequence.getTag(), true, items, sequence.getStartMark(),
                            sequence.getEndMark(), sequence.getFlowStyle());
                } else {
                    child = with(child, parts.subList(1, parts.size()), field, value);
                }
            }
            tuples.add(new NodeTuple(tuple.getKeyNode(), child));
        }
        if (!found) {
            if (parts.size() > 1 || indexed.matches()) {
                throw error(path + "." + field + ": there is no '" + name + "' here to change");
            }
            // An optional field the baseline leaves out (included_units, cap_amount, credit …) is added.
            tuples.add(new NodeTuple(new ScalarNode(Tag.STR, true, name, mapping.getStartMark(), mapping.getEndMark(),
                    org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN), new ScalarNode(Tag.STR, true, value,
                    mapping.getStartMark(), mapping.getEndMark(), org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN)));
        }
        return new MappingNode(mapping.getTag(), true, tuples, mapping.getStartMark(), mapping.getEndMark(),
                mapping.getFlowStyle());
    }

    /** A probability: 0..1 or 0%..100%. */
    BigDecimal probability() {
        String text = text();
        BigDecimal value = text.endsWith("%") ? percent(false).movePointLeft(2) : decimal();
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw error(path + ": a probability must lie between 0 and 1 (or 0% and 100%), got " + text);
        }
        return value;
    }
}
