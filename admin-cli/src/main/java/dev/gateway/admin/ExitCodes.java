package dev.gateway.admin;

/**
 * The exit codes of gatewayctl (PROTOCOL section 7), with the lines every command lists under "Exit codes" in its
 * {@code --help}. Scripts rely on them: 1 is an answer ("nothing there"), not a failure of the tool.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** Nothing matched (an empty table or {@code []} was printed), or a disconnect did not finish in time. */
    public static final int NOTHING_MATCHED = 1;
    /** Bad arguments or settings; nothing was done. */
    public static final int USAGE = 2;
    /** Redis did not answer, or refused the credentials. */
    public static final int REDIS_UNREACHABLE = 3;
    /**
     * Anything else: unreadable data in Redis, a bug. Not in the contract, which is silent about such failures; a
     * code of its own keeps them apart from 1, which scripts read as "nothing matched".
     */
    public static final int FAILED = 4;

    public static final String HELP_OK = "0:done";
    public static final String HELP_NOTHING_MATCHED = "1:nothing matched (empty table or [] printed)";
    public static final String HELP_DISCONNECT_INCOMPLETE = "1:nothing matched, or a socket was still open at --timeout";
    public static final String HELP_USAGE = "2:usage error";
    public static final String HELP_REDIS_UNREACHABLE = "3:Redis unreachable";
    public static final String HELP_FAILED = "4:any other failure (--verbose shows the stack trace)";

    private ExitCodes() {
    }

    /** {@link #OK} when something matched, else {@link #NOTHING_MATCHED}. */
    public static int matched(boolean anything) {
        return anything ? OK : NOTHING_MATCHED;
    }
}
