"""The audit: settings catalogue, documented baseline, values, rules, findings and waivers."""
