package dev.marginal.stack;

/** Whether one component answers, with a short human-readable reason. */
public record Health(String component, boolean up, String detail) {

    public static Health up(String component, String detail) {
        return new Health(component, true, detail);
    }

    public static Health down(String component, String detail) {
        return new Health(component, false, detail);
    }
}
