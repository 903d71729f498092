package dev.marginal.reports;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bin/marginal report} was asked for, checked before anything is read or written.
 *
 * @param date         the report date (UTC); yesterday unless {@code --date}
 * @param organization an organisation id or slug, or empty for every organisation
 * @param schedule     {@code --schedule}: run every night instead of once
 * @param outputDir    where the HTML and CSV files go, or empty for $MARGINAL_HOME/reports/daily-revenue
 */
record ReportRequest(LocalDate date, Optional<String> organization, boolean schedule, Optional<String> outputDir) {

    static final String USAGE = "usage: bin/marginal report [--date YYYY-MM-DD] [--org ID|SLUG] [--out DIR] [--schedule]";

    /** A request that cannot be run; the message says which argument is wrong and why. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** Parses the arguments; {@code today} is the UTC date now, which no report date may pass. */
    static ReportRequest parse(List<String> args, LocalDate today) throws Invalid {
        Optional<LocalDate> date = Optional.empty();
        Optional<String> organization = Optional.empty();
        Optional<String> out = Optional.empty();
        boolean schedule = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--date" -> date = Optional.of(date(value(args, ++i, arg), today));
                case "--org" -> organization = Optional.of(value(args, ++i, arg));
                case "--out" -> out = Optional.of(value(args, ++i, arg));
                case "--schedule" -> schedule = true;
                default -> throw new Invalid("unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        if (schedule && date.isPresent()) {
            throw new Invalid("--schedule reports each night on the day before; it takes no --date");
        }
        return new ReportRequest(date.orElse(today.minusDays(1)), organization, schedule, out);
    }

    private static String value(List<String> args, int index, String flag) throws Invalid {
        if (index >= args.size() || args.get(index).startsWith("--") || args.get(index).isBlank()) {
            throw new Invalid(flag + " needs a value\n" + USAGE);
        }
        return args.get(index);
    }

    private static LocalDate date(String text, LocalDate today) throws Invalid {
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new Invalid("--date must be a calendar date YYYY-MM-DD, not '" + text + "'");
        }
        if (date.isAfter(today)) {
            throw new Invalid("--date " + date + " is in the future (today is " + today + " UTC); a report covers a day that has begun");
        }
        return date;
    }
}
