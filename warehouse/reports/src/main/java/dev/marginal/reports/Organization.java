package dev.marginal.reports;

/** An organisation (merchant) of billing-core, as the report names it. */
record Organization(String id, String slug, String name) {}
