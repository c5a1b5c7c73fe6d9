package dev.gateway.admin.output;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where a command prints its result (the command line's stdout) and how: a table for people or one JSON document
 * for scripts. Diagnostics never come here; they go to stderr.
 */
public final class Output {
    /** Table width when the environment does not say ({@code COLUMNS}). */
    public static final int DEFAULT_WIDTH = 80;

    private final PrintWriter out;
    private final boolean json;
    private final JsonPrinter jsonPrinter;
    private final TablePrinter tablePrinter;

    public Output(PrintWriter out, boolean json, ObjectMapper mapper, int width) {
        this.out = out;
        this.json = json;
        this.jsonPrinter = new JsonPrinter(mapper);
        this.tablePrinter = new TablePrinter(width);
    }

    /** True for {@code -o json}. */
    public boolean json() {
        return json;
    }

    /** The items as a table of these columns, or as a JSON array of the items themselves. */
    public <T> void list(List<T> items, List<Column<T>> columns) {
        if (json) {
            jsonPrinter.print(out, items);
        } else {
            tablePrinter.print(out, columns, items);
        }
    }

    public <T> void table(List<T> items, List<Column<T>> columns) {
        tablePrinter.print(out, columns, items);
    }

    /** {@code name: value} lines, for one item with many fields. */
    public void fields(Map<String, String> fields) {
        tablePrinter.fields(out, fields);
    }

    public void json(Object value) {
        jsonPrinter.print(out, value);
    }

    /** A JSON array to write element by element; closing it ends the document. */
    public JsonPrinter.Array jsonArray() {
        return jsonPrinter.array(out);
    }

    public void line(String text) {
        out.println(text);
    }
}
