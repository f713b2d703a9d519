"""What a technician does with a reading beyond the audit: snapshot, fix, fleet."""
