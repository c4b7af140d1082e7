"""The rules: small pure functions of case data and a day, each with a stable id and source."""
