package dev.gateway.it.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table as gatewayctl prints it for people: a header line, then one line per row, columns left-aligned and
 * separated by at least two spaces. Columns are cut at the header's column starts, so that cells with spaces in them
 * (device names, {@code LAST SEEN}) stay whole.
 */
record Table(List<String> headers, List<Map<String, String>> rows) {

    /** Parses stdout; no lines at all is a table without headers or rows. */
    static Table parse(String stdout) {
        List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            return new Table(List.of(), List.of());
        }
        String header = lines.getFirst();
        List<Integer> starts = columnStarts(header);
        List<String> headers = cells(header, starts);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line, starts);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                row.put(headers.get(i), cells.get(i));
            }
            rows.add(row);
        }
        return new Table(headers, rows);
    }

    /** The values of one column, top to bottom. */
    List<String> column(String header) {
        return rows.stream().map(row -> row.get(header)).toList();
    }

    /** The first row whose {@code header} cell is {@code value}. */
    Optional<Map<String, String>> row(String header, String value) {
        return rows.stream().filter(row -> value.equals(row.get(header))).findFirst();
    }

    /** A column starts at the line's start and after every run of two or more spaces. */
    private static List<Integer> columnStarts(String header) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 2; i < header.length(); i++) {
            if (header.charAt(i) != ' ' && header.charAt(i - 1) == ' ' && header.charAt(i - 2) == ' ') {
                starts.add(i);
            }
        }
        return starts;
    }

    private static List<String> cells(String line, List<Integer> starts) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int from = Math.min(starts.get(i), line.length());
            int to = i + 1 < starts.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
            cells.add(line.substring(from, to).trim());
        }
        return cells;
    }
}
