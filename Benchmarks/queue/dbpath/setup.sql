-- Blob pools and tables for the database-path variants (run.sh). Needs SealPress's schema (`sealpress migrate`).
-- 64 incompressible blobs of 100 KB (the input documents and whole outputs) and their first 12,000 bytes (the part a
-- signed 100 KB PDF appends to its input: what an output that extends its input stores, queue migration 6).
DROP TABLE IF EXISTS public.bench_result_blobs, public.bench_small_blobs, public.usage_nochain;
CREATE TABLE public.bench_result_blobs (id int PRIMARY KEY, bytes bytea NOT NULL, sha256 bytea NOT NULL);
ALTER TABLE public.bench_result_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;
INSERT INTO public.bench_result_blobs (id, bytes, sha256)
SELECT i, b, sha256(b) FROM generate_series(0, 63) AS i,
       LATERAL (SELECT substring(decode(string_agg(md5(i::text || ':' || k::text || ':' || random()::text), ''), 'hex')
                                 FROM 1 FOR 102400) AS b
                  FROM generate_series(1, 6400) AS k) AS blob;
CREATE TABLE public.bench_small_blobs (id int PRIMARY KEY, bytes bytea NOT NULL, sha256 bytea NOT NULL);
ALTER TABLE public.bench_small_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;
INSERT INTO public.bench_small_blobs
SELECT id, substring(bytes FROM 1 FOR 12000), sha256(substring(bytes FROM 1 FOR 12000)) FROM public.bench_result_blobs;
-- The usage log's columns without its chain trigger (to tell the chain's cost from the rows').
CREATE TABLE public.usage_nochain (LIKE sealpress.usage_log INCLUDING DEFAULTS INCLUDING INDEXES);
