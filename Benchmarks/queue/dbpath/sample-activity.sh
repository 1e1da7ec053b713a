#!/bin/bash
# sample-activity.sh URL DATABASE [samples] [interval-seconds]
# Samples pg_stat_activity of DATABASE's client sessions (state, wait event, statement, blockers, transaction age)
# every interval (default 500 × 0.02 s) into public.activity_samples of URL's database (recreated), in one DO loop,
# then prints what the sessions were doing. Run it while `sealpress bench pipeline --database-url …` runs.
set -euo pipefail
URL=$1; DB=$2; N=${3:-500}; INTERVAL=${4:-0.02}
psql "$URL" -q -v ON_ERROR_STOP=1 <<SQL
DROP TABLE IF EXISTS public.activity_samples;
CREATE TABLE public.activity_samples (at timestamptz, pid int, app text, state text, wait_type text, wait_event text,
                                      query text, blockers int[], xact_age float8);
DO \$\$
BEGIN
  FOR i IN 1..$N LOOP
    PERFORM pg_stat_clear_snapshot();
    INSERT INTO public.activity_samples
    SELECT clock_timestamp(), pid, application_name, state, wait_event_type, wait_event,
           left(regexp_replace(query, '\s+', ' ', 'g'), 50), pg_blocking_pids(pid),
           extract(epoch FROM clock_timestamp() - xact_start)
      FROM pg_stat_activity
     WHERE datname = '$DB' AND pid <> pg_backend_pid() AND backend_type = 'client backend';
    PERFORM pg_sleep($INTERVAL);
  END LOOP;
END \$\$;
SELECT state, wait_type, wait_event, query, count(*) AS samples, round(avg(xact_age)::numeric, 3) AS xact_age_s
  FROM public.activity_samples GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC LIMIT 30;
SQL
