package dev.marginal.reports;

import java.time.LocalDate;

/**
 * One row of {@code reports.daily_revenue}: an organisation's figures in one currency for the report
 * date, the day before (day-over-day) and the month to date (the 1st to the report date).
 */
record DailyRevenue(Organization organization, LocalDate date, String currency, Figures day, Figures previousDay,
                    Figures monthToDate) {}
