package dev.gateway.admin.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Aligned, left-justified columns, as kubectl and docker print them, kept within a width where the data allows. */
final class TablePrinter {
    private static final String GAP = "  ";
    private static final String CUT = "...";
    /** A cut free-text cell keeps at least this much, so that what remains still says something. */
    private static final int MIN_CUT_WIDTH = 10;
    private static final String NONE = "-";

    private final int width;

    TablePrinter(int width) {
        this.width = width;
    }

    <T> void print(PrintWriter out, List<Column<T>> columns, List<T> items) {
        List<String[]> rows = new ArrayList<>(items.size() + 1);
        rows.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (T item : items) {
            rows.add(columns.stream().map(column -> cell(column.value().apply(item))).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        fit(columns, widths);
        StringBuilder line = new StringBuilder();
        for (String[] row : rows) {
            line.setLength(0);
            for (int i = 0; i < row.length; i++) {
                String cell = row[i].length() > widths[i] ? row[i].substring(0, widths[i] - CUT.length()) + CUT : row[i];
                line.append(cell);
                if (i < row.length - 1) {
                    line.repeat(' ', widths[i] - cell.length()).append(GAP);
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** One {@code name: value} line per field, the values aligned. */
    void fields(PrintWriter out, Map<String, String> fields) {
        int labelWidth = fields.keySet().stream().mapToInt(key -> key.length() + 1).max().orElse(0);
        fields.forEach((key, value) -> {
            String label = key + ":";
            out.println(label + " ".repeat(labelWidth - label.length() + 1) + cell(value));
        });
    }

    /** Narrows the widest free-text columns, one character at a time, until the table fits or none can give more. */
    private <T> void fit(List<Column<T>> columns, int[] widths) {
        int excess = GAP.length() * (widths.length - 1) - width;
        for (int w : widths) {
            excess += w;
        }
        while (excess > 0) {
            int widest = -1;
            for (int i = 0; i < widths.length; i++) {
                int floor = Math.max(MIN_CUT_WIDTH, columns.get(i).header().length());
                if (columns.get(i).shrinkable() && widths[i] > floor && (widest < 0 || widths[i] > widths[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                return;
            }
            widths[widest]--;
            excess--;
        }
    }

    /**
     * The text of a cell. Control characters become '?': device names and user agents come from clients, and an
     * escape sequence printed raw would act on the operator's terminal.
     */
    private static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        if (value.chars().noneMatch(Character::isISOControl)) {
            return value;
        }
        StringBuilder clean = new StringBuilder(value.length());
        value.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return clean.toString();
    }
}
