package dev.gateway.admin.output;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/** One indented JSON document per command, written with the product's shared Jackson configuration. */
public final class JsonPrinter {
    /** Indented as jq prints: {@code "key": value}, one array element per line, and {@code []} when empty. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    JsonPrinter(ObjectMapper mapper) {
        this.mapper = mapper;
        // Flushing after every value would cost a system call per element of a 100,000-element array.
        this.writer = mapper.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    void print(PrintWriter out, Object value) {
        try (JsonGenerator generator = generator(out)) {
            writer.writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    Array array(PrintWriter out) {
        return new Array(out, generator(out));
    }

    private JsonGenerator generator(PrintWriter out) {
        try {
            return mapper.getFactory().createGenerator(out)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .setPrettyPrinter(PRETTY.createInstance());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array written element by element, so that a long listing is never held in memory whole. */
    public final class Array implements AutoCloseable {
        private final PrintWriter out;
        private final JsonGenerator generator;
        private int count;

        private Array(PrintWriter out, JsonGenerator generator) {
            this.out = out;
            this.generator = generator;
            try {
                generator.writeStartArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void add(Object element) {
            try {
                writer.writeValue(generator, element);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            count++;
        }

        public int count() {
            return count;
        }

        @Override
        public void close() {
            try {
                generator.writeEndArray();
                generator.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println();
        }
    }
}
