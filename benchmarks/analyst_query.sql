-- An analyst's single DuckDB query: every person's Reset status and exemptions on a day, read
-- straight from the Parquet tables of `probation-reset generate` (CONTRACT.md section 3).
-- {tables} is the directory of the tables, {on} the day (YYYY-MM-DD).
WITH
day AS (SELECT DATE '{on}' AS on_day, DATE '{on}' >= DATE '2024-04-01' AS reset_in_force),
rar AS (
    SELECT DISTINCT case_index, event_id FROM read_parquet('{tables}/requirements.parquet')
    WHERE type = 'RAR'
),
events AS (
    SELECT e.case_index, e.youth, e.start_date, e.end_date, e.type,
        CASE
            WHEN e.terminated_on IS NULL THEN coalesce(e.pss_end_date, e.end_date)
            WHEN coalesce(e.pss_end_date, e.end_date) IS NULL THEN e.terminated_on - 1
            ELSE least(coalesce(e.pss_end_date, e.end_date), e.terminated_on - 1)
        END AS last_day,
        coalesce(e.probation_reset_date,
                 e.start_date + CAST(floor(2 * (e.end_date - e.start_date) / 3) AS INTEGER))
            AS final_third,
        r.event_id IS NOT NULL AS has_rar
    FROM read_parquet('{tables}/events.parquet') e
    LEFT JOIN rar r USING (case_index, event_id)
),
phases AS (
    SELECT e.case_index, e.youth,
        CASE
            WHEN d.on_day < e.start_date THEN 'NOT_STARTED'
            WHEN e.last_day IS NOT NULL AND d.on_day > e.last_day THEN 'ENDED'
            WHEN e.type <> 'LICENCE' AND NOT e.has_rar THEN 'NO_RESET'
            WHEN e.end_date IS NULL THEN 'NO_FINAL_THIRD'
            WHEN d.on_day > e.end_date THEN 'PSS'
            WHEN d.on_day >= e.final_third THEN 'FINAL_THIRD'
            ELSE 'BEFORE_FINAL_THIRD'
        END AS phase
    FROM events e, day d
),
by_person AS (
    SELECT case_index,
        bool_or(phase IN ('BEFORE_FINAL_THIRD', 'NO_FINAL_THIRD')) AS supervised,
        bool_or(phase IN ('FINAL_THIRD', 'PSS')) AS reset_phase,
        bool_or(phase NOT IN ('NOT_STARTED', 'ENDED')) AS active,
        bool_or(youth AND phase NOT IN ('NOT_STARTED', 'ENDED')) AS youth
    FROM phases GROUP BY case_index
),
flags AS (
    SELECT r.case_index,
        bool_or(r.type = 'MAPPA') AS mappa,
        bool_or(r.type = 'NSD') AS nsd,
        arg_max(r.level, r.start_date) FILTER (WHERE r.type = 'ROSH') = 'VERY_HIGH' AS very_high,
        bool_or(r.type = 'CHILD_PROTECTION') AS child_protection,
        bool_or(r.type = 'ISC') AS isc
    FROM read_parquet('{tables}/registrations.parquet') r, day d
    WHERE r.start_date <= d.on_day AND (r.deregistered_on IS NULL OR d.on_day < r.deregistered_on)
    GROUP BY r.case_index
),
people AS (
    SELECT p.case_index, p.crn, coalesce(b.active, false) AS active,
        coalesce(b.supervised, false) AS supervised, coalesce(b.reset_phase, false) AS reset_phase,
        list_filter([
            CASE WHEN f.mappa THEN 'EXEMPT_MAPPA' END,
            CASE WHEN f.nsd THEN 'EXEMPT_NSD' END,
            CASE WHEN f.very_high THEN 'EXEMPT_VERY_HIGH_ROSH' END,
            CASE WHEN f.child_protection THEN 'EXEMPT_CHILD_PROTECTION_PLAN' END,
            CASE WHEN f.isc THEN 'EXEMPT_ISC' END,
            CASE WHEN b.youth THEN 'EXEMPT_YOUTH_SENTENCE' END
        ], lambda x: x IS NOT NULL) AS exemptions
    FROM read_parquet('{tables}/people.parquet') p
    LEFT JOIN by_person b USING (case_index)
    LEFT JOIN flags f USING (case_index)
)
SELECT case_index, crn,
    CASE
        WHEN NOT active THEN 'ENDED'
        WHEN supervised OR (reset_phase AND NOT (SELECT reset_in_force FROM day)) THEN 'ACTIVE'
        WHEN reset_phase AND len(exemptions) > 0 THEN 'EXEMPT'
        WHEN reset_phase THEN 'SUSPENDED'
        ELSE 'NOT_APPLICABLE'
    END AS status,
    exemptions
FROM people
ORDER BY case_index
