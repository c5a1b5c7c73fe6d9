package dev.gateway.admin.output;

import java.util.function.Function;

/**
 * One column of a table: its header and how a row's cell is drawn from an item.
 *
 * @param shrinkable free text that may be cut (ending in "...") to keep the table within the terminal's width;
 *                   ids, addresses and times never are, so that what a table shows can be copied into the next command
 */
public record Column<T>(String header, Function<T, String> value, boolean shrinkable) {
    public static <T> Column<T> of(String header, Function<T, String> value) {
        return new Column<>(header, value, false);
    }

    public static <T> Column<T> text(String header, Function<T, String> value) {
        return new Column<>(header, value, true);
    }
}
