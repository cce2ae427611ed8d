package org.ternsweep.driver.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * A YAML document read as a Jackson tree together with the line of every node, keyed by JSON
 * pointer ({@code /operators/1}). Jackson's own {@code readTree} drops locations; sweep errors must
 * name the line, so the tree is built here from the token stream. Duplicate keys are rejected (YAML
 * forbids them, and silently keeping the last one would hide a typo). Anchors ({@code &a}), aliases
 * ({@code *a}) and explicit tags ({@code !!str}, {@code !!javax.script.ScriptEngineManager}) are rejected
 * with their line and key: the token stream reads an alias as its anchor's name and ignores tags, so accepting
 * them would run something other than what the file says. Rejecting aliases also rules out the
 * exponential alias expansion of a "billion laughs" document.
 *
 * @param root   the document's root node
 * @param origin where each node came from: {@code "line N"} for the file, or the {@code --set}
 *               override text; looked up by {@link #origin(String)} with fallback to the parent
 */
public record LocatedYaml(JsonNode root, Map<String, String> origin) {

    private static final YAMLFactory YAML = new YAMLFactory();

    /**
     * Parses YAML text.
     *
     * @param file       the file name used in error messages
     * @param text       the YAML document
     * @param originText for values that come from the command line, the override text to name
     *                   instead of a line (null for a file)
     */
    public static LocatedYaml parse(String file, String text, String originText) {
        Map<String, String> origin = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new LocatedYaml(JsonNodeFactory.instance.nullNode(), origin);
            }
            JsonNode root = read(p, "", origin, file, originText);
            refuseAnchorsAliasesTags(file, text, originText);
            return new LocatedYaml(root, origin);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? -1 : loc.getLineNr();
            String where = originText != null ? originText : "line " + line;
            throw new SweepException(file, where, originText != null ? -1 : line, "(syntax)",
                    "YAML syntax error: " + e.getOriginalMessage().replaceAll("\\s+", " ").trim(),
                    "valid YAML (check indentation, quotes and ':' after keys)", e);
        } catch (IOException e) {
            throw new SweepException(file, "line 1", 1, "(file)", "cannot read: " + e.getMessage(),
                    "a readable YAML file", e);
        }
    }

    private static JsonNode read(JsonParser p, String pointer, Map<String, String> origin, String file,
                                 String originText) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        origin.put(pointer, originText != null ? originText : "line " + line);
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode obj = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String child = pointer + "/" + escape(name);
                    if (obj.has(name)) {
                        String where = originText != null ? originText : "line " + keyLine;
                        throw new SweepException(file, where, originText != null ? -1 : keyLine, name,
                                "duplicate key", "each key once per mapping");
                    }
                    p.nextToken();
                    obj.set(name, read(p, child, origin, file, originText));
                    // the key's line is the most useful place to point at, also for multi-line values
                    origin.put(child, originText != null ? originText : "line " + keyLine);
                }
                return obj;
            }
            case START_ARRAY -> {
                ArrayNode arr = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    arr.add(read(p, pointer + "/" + i, origin, file, originText));
                    i++;
                }
                return arr;
            }
            case VALUE_STRING -> {
                return f.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return f.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return f.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return f.booleanNode(p.getBooleanValue());
            }
            case VALUE_NULL -> {
                return f.nullNode();
            }
            default -> throw new SweepException(file, "line " + line, line, pointer,
                    "unsupported YAML token " + t, "mappings, lists, strings, numbers, booleans");
        }
    }

    /** An open mapping or sequence while scanning events: its pointer and where in it the next node goes. */
    private static final class Frame {
        final String pointer;
        final boolean mapping;
        boolean atKey = true;
        String key = "";
        int index;

        Frame(String pointer, boolean mapping) {
            this.pointer = pointer;
            this.mapping = mapping;
        }

        /** The pointer of the next node in this collection, or of the key being read. */
        String next(Event e) {
            if (!mapping) {
                return pointer + "/" + index;
            }
            return pointer + "/" + escape(atKey && e instanceof ScalarEvent s ? s.getValue() : key);
        }

        /** Moves past a complete node. */
        void advance(Event e) {
            if (!mapping) {
                index++;
            } else if (atKey) {
                key = e instanceof ScalarEvent s ? s.getValue() : "?";
                atKey = false;
            } else {
                atKey = true;
            }
        }
    }

    /**
     * Throws, naming the line and key, at the first anchor, alias or explicit tag of {@code text}. Read from
     * SnakeYAML's events, because Jackson's token stream drops the anchors of scalars. Runs on text Jackson has
     * already parsed, so a syntax error is reported by Jackson's message, and on the events alone, so no alias
     * is ever expanded.
     */
    private static void refuseAnchorsAliasesTags(String file, String text, String originText) {
        Deque<Frame> open = new ArrayDeque<>();
        for (Event e : new Yaml(new LoaderOptions()).parse(new StringReader(text))) {
            boolean node = e instanceof NodeEvent;
            if (!node && !(e instanceof CollectionEndEvent)) {
                continue;
            }
            if (e instanceof CollectionEndEvent) {
                open.pop();
                if (!open.isEmpty()) {
                    open.peek().advance(e);
                }
                continue;
            }
            String pointer = open.isEmpty() ? "" : open.peek().next(e);
            String what = null;
            if (e instanceof AliasEvent a) {
                what = "the alias '*" + a.getAnchor() + "'";
            } else if (((NodeEvent) e).getAnchor() != null) {
                what = "the anchor '&" + ((NodeEvent) e).getAnchor() + "'";
            } else if (e instanceof ScalarEvent sc && sc.getTag() != null) {
                what = "the tag '" + sc.getTag() + "'";
            } else if (e instanceof CollectionStartEvent c && c.getTag() != null) {
                what = "the tag '" + c.getTag() + "'";
            }
            if (what != null) {
                int line = e.getStartMark().getLine() + 1;
                throw new SweepException(file, originText != null ? originText : "line " + line,
                        originText != null ? -1 : line, SweepParser.key(pointer), what + " is not supported",
                        "plain YAML without anchors (&), aliases (*) or tags (!): write each value out");
            }
            if (e instanceof CollectionStartEvent) {
                open.push(new Frame(pointer, e instanceof MappingStartEvent));
            } else if (!open.isEmpty()) {
                open.peek().advance(e);
            }
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Where the node at {@code pointer} (or its nearest ancestor) came from. */
    public String origin(String pointer) {
        String p = pointer;
        while (true) {
            String o = origin.get(p);
            if (o != null) {
                return o;
            }
            if (p.isEmpty()) {
                return "line 1";
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** The 1-based line of the node at {@code pointer}, or -1 when it came from the command line. */
    public int line(String pointer) {
        String o = origin(pointer);
        return o.startsWith("line ") ? Integer.parseInt(o.substring(5)) : -1;
    }

    /**
     * Returns a copy with the value at top-level key or dotted path {@code key} replaced by {@code value},
     * recording {@code originText} as the origin of the new nodes.
     */
    public LocatedYaml with(String key, LocatedYaml value, String originText) {
        ObjectNode root = this.root.isObject() ? ((ObjectNode) this.root).deepCopy() : JsonNodeFactory.instance.objectNode();
        Map<String, String> o = new HashMap<>(origin);
        String[] parts = key.split("\\.");
        ObjectNode at = root;
        StringBuilder ptr = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            ptr.append('/').append(escape(parts[i]));
            JsonNode next = at.get(parts[i]);
            if (next == null || !next.isObject()) {
                ObjectNode created = JsonNodeFactory.instance.objectNode();
                at.set(parts[i], created);
                o.put(ptr.toString(), originText);
                next = created;
            }
            at = (ObjectNode) next;
        }
        String leaf = ptr + "/" + escape(parts[parts.length - 1]);
        o.keySet().removeIf(k -> k.equals(leaf) || k.startsWith(leaf + "/"));
        at.set(parts[parts.length - 1], value.root());
        value.origin().forEach((k, v) -> o.put(leaf + k, originText));
        o.put(leaf, originText);
        return new LocatedYaml(root, o);
    }
}
