package org.ternsweep.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one canonical JSON of the project: keys sorted at every level (map entries and bean properties),
 * no whitespace. What is hashed into a cell id ({@link CellSpec#canonicalJson()}) and a float model's
 * cache key, and how option maps are stored in the cell rows' {@code operator_options} and
 * {@code method_options} columns. Its bytes are part of every stored cell id and model-cache address:
 * a change here changes them all.
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private CanonicalJson() {
    }

    /** {@code value} as canonical JSON: sorted keys, no whitespace. */
    public static String write(Object value) throws JsonProcessingException {
        return MAPPER.writeValueAsString(value);
    }

    /** {@code value} as JSON with sorted keys, indented for people to read (the model cache's sidecars). */
    public static String writePretty(Object value) throws JsonProcessingException {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }

    /** A reader of the same configuration (immutable, shareable). */
    public static ObjectReader reader() {
        return MAPPER.reader();
    }
}
