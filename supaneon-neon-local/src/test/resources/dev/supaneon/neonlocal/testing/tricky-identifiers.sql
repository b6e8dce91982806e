-- Names and values that break careless quoting and careless comparison: spaces, quotes, mixed case,
-- reserved words, dots, wildcards and non-ASCII in identifiers; NULLs, large text, bytea, jsonb,
-- arrays, infinite timestamps and NaN in rows.
CREATE SCHEMA "My Schema";
CREATE SCHEMA "Weird.""Dotted"".*?";
CREATE SCHEMA "ünïcödé_スキーマ";

CREATE TABLE "My Schema"."Order Details" (
  "ID" integer PRIMARY KEY,
  "select" text,
  "from" text,
  "Column ""With"" Quotes" text,
  "CamelCase" boolean,
  "naïve café" numeric
);
CREATE TABLE "My Schema".lower_case ("table" int, "order" text);
CREATE TABLE "Weird.""Dotted"".*?"."T*b?l.e ""x""" (id serial PRIMARY KEY, "值" text);
CREATE TABLE "ünïcödé_スキーマ"."データ" ("名前" text, "数" bigint);

CREATE TABLE public.values_of_every_kind (
  id integer PRIMARY KEY,
  nothing text,
  big_text text,
  bytes bytea,
  document jsonb,
  raw_json json,
  words text[],
  matrix integer[][],
  moment timestamptz,
  plain_moment timestamp,
  day date,
  gap interval,
  ratio double precision,
  single real,
  exact numeric,
  flag boolean,
  address inet,
  network cidr,
  span int4range,
  point_value point,
  money_value money,
  bits bit varying(16),
  uuid_value uuid,
  xml_value xml
);

INSERT INTO "My Schema"."Order Details" VALUES
  (1, 'select', 'from', 'with "quotes" and ''apostrophes''', true, 1.5),
  (2, NULL, '', E'tab\there\nnewline', false, NULL),
  (3, 'backslash \ here', 'comma, semicolon; pipe |', 'ünïcödé ✓ 🚀', NULL, 'NaN');
INSERT INTO "My Schema".lower_case SELECT g, 'row ' || g FROM generate_series(1, 100) AS g;
INSERT INTO "Weird.""Dotted"".*?"."T*b?l.e ""x""" ("值") VALUES ('一'), ('二'), (NULL);
INSERT INTO "ünïcödé_スキーマ"."データ" VALUES ('田中', 1), ('Ærøskøbing', 9223372036854775807), (NULL, NULL);

INSERT INTO public.values_of_every_kind VALUES
  (1, NULL, repeat('large text ', 100000), decode(repeat('00ff', 5000), 'hex'),
   '{"a": [1, 2, {"b": null}], "ü": "✓", "n": 1.0e10}', '{"keep":  "spacing",   "order": 2}',
   ARRAY['one', NULL, 'three, with comma', '"quoted"'], ARRAY[[1, 2], [3, 4]],
   'infinity', '-infinity', 'infinity', '1 year 2 months 3 days 04:05:06.789',
   'NaN', 'Infinity', 'NaN', true, '192.168.0.1/24', '10.0.0.0/8', '[1,10)', '(1.5,-2.25)', 12.34,
   B'1010', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '<root attr="x">text &amp; more</root>'),
  (2, NULL, '', '\x', '{}', '[]', '{}', '{}', '-infinity', 'infinity', '-infinity', '0', '-Infinity',
   '-Infinity', '-0.000001', false, '::1', '2001:db8::/32', 'empty', '(0,0)', -0.01, B'', NULL, NULL),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (4, 'x', repeat('ü', 50000), decode(md5('bytes'), 'hex'), '{"nested": {"deep": {"deeper": [true, false]}}}',
   '"just a string"', ARRAY['']::text[], ARRAY[[NULL, 1]]::integer[][], '2024-02-29 23:59:59.999999+00',
   '1970-01-01 00:00:00', '0001-01-01 BC', '-1 days', 1.0e-300, 3.4e38, 123456789012345678901234567890.123456789, NULL,
   '0.0.0.0', '0.0.0.0/0', '(,)', '(1e10,-1e-10)', 0, B'1111111111111111', '00000000-0000-0000-0000-000000000000',
   '<a/>');

-- large objects: pg_dump leaves them out of a --schema dump unless asked
SELECT lo_from_bytea(0, decode('deadbeef', 'hex'));
SELECT lo_from_bytea(0, convert_to(repeat('large object ', 1000), 'UTF8'));
