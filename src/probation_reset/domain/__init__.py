"""The probation domain: cases, events, registrations, contacts, and spans of days."""
