-- A database shaped like a stock Supabase project, on plain PostgreSQL: Supabase's roles and
-- owners, the auth and storage schemas as Supabase Auth and Storage lay them out, managed schemas,
-- row-level security that calls auth.uid(), a SECURITY DEFINER trigger function on auth.users,
-- event triggers, the supabase_realtime publication, extensions in schema extensions, identity
-- columns, partitions, and data everywhere. Roles are cluster-wide, so they are created only when
-- missing. Load as a superuser into an empty database.

DO $roles$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['anon', 'authenticated', 'service_role', 'authenticator',
      'supabase_admin', 'supabase_auth_admin', 'supabase_storage_admin', 'dashboard_user',
      'supabase_realtime_admin', 'pgbouncer'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I', role_name);
    END IF;
  END LOOP;
END
$roles$;
ALTER ROLE anon NOLOGIN NOINHERIT;
ALTER ROLE authenticated NOLOGIN NOINHERIT;
ALTER ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
ALTER ROLE authenticator LOGIN NOINHERIT;
ALTER ROLE supabase_admin LOGIN SUPERUSER CREATEDB CREATEROLE REPLICATION BYPASSRLS;
ALTER ROLE supabase_auth_admin LOGIN NOINHERIT CREATEROLE;
ALTER ROLE supabase_storage_admin LOGIN NOINHERIT CREATEROLE;
ALTER ROLE dashboard_user NOSUPERUSER CREATEDB CREATEROLE REPLICATION;
GRANT anon, authenticated, service_role TO authenticator;
GRANT supabase_auth_admin, supabase_storage_admin TO postgres;

-- extensions live in their own schema, as on Supabase
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;
GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;

-- Supabase's event-trigger functions live in extensions; the triggers need a superuser.
CREATE FUNCTION extensions.grant_pg_cron_access() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE DEBUG 'grant_pg_cron_access';
END $$;
CREATE FUNCTION extensions.set_graphql_placeholder() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE DEBUG 'set_graphql_placeholder';
END $$;
CREATE EVENT TRIGGER issue_pg_cron_access ON ddl_command_end WHEN TAG IN ('CREATE EXTENSION')
  EXECUTE FUNCTION extensions.grant_pg_cron_access();
CREATE EVENT TRIGGER issue_graphql_placeholder ON sql_drop WHEN TAG IN ('DROP EXTENSION')
  EXECUTE FUNCTION extensions.set_graphql_placeholder();

-- managed schemas the backup leaves out
CREATE SCHEMA graphql;
CREATE SCHEMA graphql_public;
CREATE FUNCTION graphql_public.graphql(query text DEFAULT NULL, variables jsonb DEFAULT NULL)
  RETURNS jsonb LANGUAGE sql AS $$ SELECT '{"errors": [{"message": "pg_graphql is not enabled"}]}'::jsonb $$;
CREATE SCHEMA realtime;
CREATE TABLE realtime.schema_migrations (version bigint PRIMARY KEY, inserted_at timestamp(0));
CREATE TABLE realtime.messages (id bigserial PRIMARY KEY, topic text NOT NULL, extension text NOT NULL,
  payload jsonb, inserted_at timestamp NOT NULL DEFAULT now());
CREATE SCHEMA pgbouncer AUTHORIZATION pgbouncer;
CREATE FUNCTION pgbouncer.get_auth(p_usename text) RETURNS TABLE(username text, password text)
  LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  RETURN QUERY SELECT usename::text, passwd::text FROM pg_catalog.pg_shadow WHERE usename = p_usename;
END $$;
CREATE SCHEMA supabase_functions AUTHORIZATION supabase_admin;
CREATE TABLE supabase_functions.hooks (id bigserial PRIMARY KEY, hook_table_id integer NOT NULL,
  hook_name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), request_id bigint);
CREATE SCHEMA vault;
CREATE TABLE vault.secrets (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text, secret text NOT NULL);
INSERT INTO vault.secrets (name, secret) VALUES ('stripe', 'sk_live_do_not_back_me_up');

-- auth, in the shape of Supabase Auth (GoTrue)
CREATE SCHEMA auth AUTHORIZATION supabase_auth_admin;
CREATE TYPE auth.aal_level AS ENUM ('aal1', 'aal2', 'aal3');
CREATE TYPE auth.factor_type AS ENUM ('totp', 'webauthn', 'phone');
CREATE TYPE auth.factor_status AS ENUM ('unverified', 'verified');
CREATE TYPE auth.code_challenge_method AS ENUM ('s256', 'plain');
CREATE TYPE auth.one_time_token_type AS ENUM ('confirmation_token', 'reauthentication_token',
  'recovery_token', 'email_change_token_new', 'email_change_token_current', 'phone_change_token');

CREATE TABLE auth.schema_migrations (version varchar(255) PRIMARY KEY);
CREATE TABLE auth.instances (id uuid PRIMARY KEY, uuid uuid, raw_base_config text,
  created_at timestamptz, updated_at timestamptz);
CREATE TABLE auth.users (
  instance_id uuid,
  id uuid PRIMARY KEY,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text UNIQUE DEFAULT NULL,
  phone_confirmed_at timestamptz,
  confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
  banned_until timestamptz,
  is_sso_user boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  is_anonymous boolean NOT NULL DEFAULT false
);
CREATE INDEX users_instance_id_email_idx ON auth.users USING btree (instance_id, lower(email::text));
COMMENT ON TABLE auth.users IS 'Auth: Stores user login data within a secure schema.';
CREATE TABLE auth.identities (
  provider_id text NOT NULL,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  identity_data jsonb NOT NULL,
  provider text NOT NULL,
  last_sign_in_at timestamptz,
  created_at timestamptz,
  updated_at timestamptz,
  email text GENERATED ALWAYS AS (lower(identity_data ->> 'email')) STORED,
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  CONSTRAINT identities_provider_id_provider_unique UNIQUE (provider_id, provider)
);
CREATE TABLE auth.sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz,
  updated_at timestamptz,
  factor_id uuid,
  aal auth.aal_level,
  not_after timestamptz,
  user_agent text,
  ip inet
);
CREATE TABLE auth.refresh_tokens (
  instance_id uuid,
  id bigserial PRIMARY KEY,
  token varchar(255) UNIQUE,
  user_id varchar(255),
  revoked boolean,
  created_at timestamptz,
  updated_at timestamptz,
  parent varchar(255),
  session_id uuid REFERENCES auth.sessions (id) ON DELETE CASCADE
);
CREATE TABLE auth.mfa_factors (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  friendly_name text,
  factor_type auth.factor_type NOT NULL,
  status auth.factor_status NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  secret text
);
CREATE TABLE auth.mfa_challenges (
  id uuid PRIMARY KEY,
  factor_id uuid NOT NULL REFERENCES auth.mfa_factors (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  verified_at timestamptz,
  ip_address inet NOT NULL
);
CREATE TABLE auth.mfa_amr_claims (
  session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  authentication_method text NOT NULL,
  id uuid PRIMARY KEY
);
CREATE TABLE auth.audit_log_entries (
  instance_id uuid,
  id uuid PRIMARY KEY,
  payload json,
  created_at timestamptz,
  ip_address varchar(64) NOT NULL DEFAULT ''
);
CREATE TABLE auth.flow_state (
  id uuid PRIMARY KEY,
  user_id uuid,
  auth_code text NOT NULL,
  code_challenge_method auth.code_challenge_method NOT NULL,
  code_challenge text NOT NULL,
  provider_type text NOT NULL,
  created_at timestamptz,
  updated_at timestamptz
);
CREATE TABLE auth.one_time_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  token_type auth.one_time_token_type NOT NULL,
  token_hash text NOT NULL CHECK (char_length(token_hash) > 0),
  relates_to text NOT NULL,
  created_at timestamp NOT NULL DEFAULT now(),
  updated_at timestamp NOT NULL DEFAULT now()
);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;
ALTER TABLE auth.users OWNER TO supabase_auth_admin;
ALTER TABLE auth.identities OWNER TO supabase_auth_admin;
ALTER TABLE auth.sessions OWNER TO supabase_auth_admin;
ALTER TABLE auth.refresh_tokens OWNER TO supabase_auth_admin;
ALTER TABLE auth.audit_log_entries OWNER TO supabase_auth_admin;
ALTER FUNCTION auth.uid() OWNER TO supabase_auth_admin;
ALTER FUNCTION auth.role() OWNER TO supabase_auth_admin;
ALTER FUNCTION auth.jwt() OWNER TO supabase_auth_admin;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT ALL ON ALL TABLES IN SCHEMA auth TO supabase_auth_admin, dashboard_user;
GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.jwt() TO anon, authenticated, service_role;

-- storage, in the shape of Supabase Storage
CREATE SCHEMA storage AUTHORIZATION supabase_storage_admin;
CREATE TABLE storage.migrations (id integer PRIMARY KEY, name varchar(100) UNIQUE NOT NULL,
  hash varchar(40) NOT NULL, executed_at timestamp DEFAULT current_timestamp);
CREATE TABLE storage.buckets (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  owner uuid,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  public boolean DEFAULT false,
  avif_autodetection boolean DEFAULT false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text
);
CREATE TABLE storage.objects (
  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  bucket_id text REFERENCES storage.buckets (id),
  name text,
  owner uuid,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now(),
  last_accessed_at timestamptz DEFAULT now(),
  metadata jsonb,
  path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED,
  version text,
  owner_id text,
  user_metadata jsonb
);
CREATE UNIQUE INDEX bucketid_objname ON storage.objects USING btree (bucket_id, name);
CREATE TABLE storage.s3_multipart_uploads (
  id text PRIMARY KEY,
  in_progress_size bigint NOT NULL DEFAULT 0,
  upload_signature text NOT NULL,
  bucket_id text NOT NULL REFERENCES storage.buckets (id),
  key text NOT NULL,
  version text NOT NULL,
  owner_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE storage.s3_multipart_uploads_parts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  upload_id text NOT NULL REFERENCES storage.s3_multipart_uploads (id) ON DELETE CASCADE,
  size bigint NOT NULL DEFAULT 0,
  part_number integer NOT NULL,
  bucket_id text NOT NULL REFERENCES storage.buckets (id),
  key text NOT NULL,
  etag text NOT NULL,
  owner_id text,
  version text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  _parts text[];
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  RETURN _parts[1:array_length(_parts, 1) - 1];
END $$;
CREATE FUNCTION storage.extension(name text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  _parts text[];
  _filename text;
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  SELECT _parts[array_length(_parts, 1)] INTO _filename;
  RETURN reverse(split_part(reverse(_filename), '.', 1));
END $$;
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Avatar images are publicly accessible." ON storage.objects FOR SELECT
  USING (bucket_id = 'avatars');
CREATE POLICY "Anyone can upload an avatar." ON storage.objects FOR INSERT TO authenticated
  WITH CHECK (bucket_id = 'avatars' AND (SELECT auth.uid())::text = owner_id);
ALTER TABLE storage.objects OWNER TO supabase_storage_admin;
ALTER TABLE storage.buckets OWNER TO supabase_storage_admin;
GRANT USAGE ON SCHEMA storage TO anon, authenticated, service_role;
GRANT ALL ON storage.objects, storage.buckets TO anon, authenticated, service_role;

-- migrations the Supabase CLI records
CREATE SCHEMA supabase_migrations;
CREATE TABLE supabase_migrations.schema_migrations (version text PRIMARY KEY, statements text[], name text);
INSERT INTO supabase_migrations.schema_migrations VALUES
  ('20240101000000', ARRAY['create table profiles (...)'], 'init'),
  ('20240301000000', ARRAY['alter table todos ...', 'create policy ...'], 'todos');

-- the application, in public
CREATE TABLE public.profiles (
  id uuid NOT NULL REFERENCES auth.users ON DELETE CASCADE PRIMARY KEY,
  username text UNIQUE,
  full_name text,
  avatar_url text,
  website text,
  updated_at timestamptz,
  CONSTRAINT username_length CHECK (char_length(username) >= 3)
);
ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Public profiles are viewable by everyone." ON public.profiles FOR SELECT USING (true);
CREATE POLICY "Users can insert their own profile." ON public.profiles FOR INSERT TO authenticated
  WITH CHECK ((SELECT auth.uid()) = id);
CREATE POLICY "Users can update own profile." ON public.profiles FOR UPDATE TO authenticated
  USING ((SELECT auth.uid()) = id);

CREATE TABLE public.todos (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id uuid REFERENCES auth.users NOT NULL,
  task text CHECK (char_length(task) > 3),
  is_complete boolean DEFAULT false,
  inserted_at timestamptz DEFAULT timezone('utc'::text, now()) NOT NULL
);
ALTER TABLE public.todos ENABLE ROW LEVEL SECURITY;
-- Even the owner is subject to these policies: only BYPASSRLS reads every row.
ALTER TABLE public.todos FORCE ROW LEVEL SECURITY;
CREATE POLICY "Individuals can create todos." ON public.todos FOR INSERT TO authenticated
  WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY "Individuals can view their own todos." ON public.todos FOR SELECT TO authenticated
  USING ((SELECT auth.uid()) = user_id);
CREATE POLICY "Service role sees everything." ON public.todos TO service_role USING (true);

CREATE TABLE public.api_keys (
  id uuid PRIMARY KEY DEFAULT extensions.uuid_generate_v4(),
  owner uuid NOT NULL REFERENCES auth.users (id),
  secret_hash text NOT NULL DEFAULT encode(extensions.digest(extensions.gen_random_bytes(16), 'sha256'), 'hex'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  created_at timestamptz NOT NULL,
  kind text NOT NULL,
  payload jsonb,
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.events_rest PARTITION OF public.events DEFAULT;

-- a SECURITY DEFINER function, fired by a trigger on auth.users
CREATE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = '' AS $$
BEGIN
  INSERT INTO public.profiles (id, full_name, avatar_url)
  VALUES (new.id, new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'avatar_url');
  RETURN new;
END $$;
CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE PROCEDURE public.handle_new_user();

-- Supabase's grants and default privileges (the backup restores no grants)
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT ALL ON ALL TABLES IN SCHEMA public TO anon, authenticated, service_role;
GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;

CREATE PUBLICATION supabase_realtime;
ALTER PUBLICATION supabase_realtime ADD TABLE public.todos;

-- data everywhere
INSERT INTO auth.instances VALUES ('00000000-0000-0000-0000-000000000000', NULL, NULL, now(), now());
INSERT INTO auth.schema_migrations SELECT to_char(timestamp '2023-01-01' + g * interval '1 day', 'YYYYMMDDHH24MISS')
FROM generate_series(1, 60) AS g;
INSERT INTO auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at, phone, phone_confirmed_at, is_anonymous)
SELECT '00000000-0000-0000-0000-000000000000',
       md5('user' || g)::uuid,
       'authenticated', 'authenticated',
       'user' || g || '@example.com',
       extensions.crypt('password' || g, '$2a$06$abcdefghijklmnopqrstuv'),
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour',
       jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email')),
       jsonb_build_object('full_name', 'User ' || g, 'avatar_url', 'https://example.com/a/' || g || '.png'),
       timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour',
       timestamptz '2024-01-02 00:00:00+00' + g * interval '1 hour',
       CASE WHEN g % 4 = 0 THEN '+4917' || lpad(g::text, 8, '0') END,
       CASE WHEN g % 8 = 0 THEN timestamptz '2024-02-01 00:00:00+00' END,
       g % 25 = 0
FROM generate_series(1, 300) AS g;
INSERT INTO auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
SELECT u.id::text, u.id, jsonb_build_object('sub', u.id, 'email', upper(u.email)), 'email', u.created_at, u.updated_at
FROM auth.users u;
INSERT INTO auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
SELECT md5('session' || g)::uuid, md5('user' || (1 + g % 300))::uuid, now(), now(), 'aal1', 'Mozilla/5.0', '10.0.0.1'
FROM generate_series(1, 500) AS g;
INSERT INTO auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
SELECT '00000000-0000-0000-0000-000000000000', md5('token' || g), md5('user' || (1 + g % 300))::uuid::text, false,
       now(), now(), md5('session' || (1 + g % 500))::uuid
FROM generate_series(1, 900) AS g;
INSERT INTO auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at)
SELECT md5('factor' || g)::uuid, md5('user' || g)::uuid, 'phone ' || g, 'totp', 'verified', now(), now()
FROM generate_series(1, 30) AS g;
INSERT INTO auth.mfa_challenges (id, factor_id, created_at, ip_address)
SELECT md5('challenge' || g)::uuid, md5('factor' || (1 + g % 30))::uuid, now(), '10.0.0.2' FROM generate_series(1, 40) AS g;
INSERT INTO auth.mfa_amr_claims (session_id, created_at, updated_at, authentication_method, id)
SELECT md5('session' || g)::uuid, now(), now(), 'password', md5('amr' || g)::uuid FROM generate_series(1, 100) AS g;
INSERT INTO auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
SELECT '00000000-0000-0000-0000-000000000000', md5('audit' || g)::uuid,
       json_build_object('action', 'login', 'actor_id', md5('user' || (1 + g % 300))::uuid), now(), '10.0.0.3'
FROM generate_series(1, 2000) AS g;
INSERT INTO auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type, created_at)
SELECT md5('flow' || g)::uuid, md5('user' || g)::uuid, md5('code' || g), 's256', md5('challenge' || g), 'github', now()
FROM generate_series(1, 20) AS g;
INSERT INTO auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
SELECT md5('ott' || g)::uuid, md5('user' || g)::uuid, 'recovery_token', md5('hash' || g), 'user' || g || '@example.com'
FROM generate_series(1, 15) AS g;

INSERT INTO storage.migrations SELECT g, 'migration-' || g, md5(g::text) FROM generate_series(0, 40) AS g;
INSERT INTO storage.buckets (id, name, public, file_size_limit, allowed_mime_types) VALUES
  ('avatars', 'avatars', true, 1048576, ARRAY['image/png', 'image/jpeg']),
  ('documents', 'documents', false, NULL, NULL);
INSERT INTO storage.objects (bucket_id, name, owner, owner_id, metadata, version)
SELECT CASE WHEN g % 3 = 0 THEN 'documents' ELSE 'avatars' END,
       'user' || (1 + g % 300) || '/folder/file-' || g || '.png',
       md5('user' || (1 + g % 300))::uuid, md5('user' || (1 + g % 300))::uuid::text,
       jsonb_build_object('size', g * 100, 'mimetype', 'image/png', 'eTag', md5(g::text)),
       md5('version' || g)
FROM generate_series(1, 600) AS g;
INSERT INTO storage.s3_multipart_uploads (id, upload_signature, bucket_id, key, version)
SELECT 'upload-' || g, md5('sig' || g), 'documents', 'big/file-' || g, '1' FROM generate_series(1, 5) AS g;
INSERT INTO storage.s3_multipart_uploads_parts (upload_id, part_number, bucket_id, key, etag, version)
SELECT 'upload-' || (1 + g % 5), g, 'documents', 'big/file-' || (1 + g % 5), md5(g::text), '1'
FROM generate_series(1, 12) AS g;

INSERT INTO realtime.messages (topic, extension, payload) SELECT 'room:' || g, 'broadcast', '{}' FROM generate_series(1, 50) AS g;
INSERT INTO supabase_functions.hooks (hook_table_id, hook_name) VALUES (1, 'on_todo_insert');

UPDATE public.profiles SET username = 'user_' || substr(id::text, 1, 8), website = 'https://example.com';
INSERT INTO public.todos (user_id, task, is_complete, inserted_at)
SELECT md5('user' || (1 + g % 300))::uuid, 'Task number ' || g, g % 3 = 0,
       timestamptz '2024-05-01 00:00:00+00' + g * interval '17 minutes'
FROM generate_series(1, 1500) AS g;
INSERT INTO public.api_keys (owner, created_at)
SELECT md5('user' || g)::uuid, timestamptz '2024-06-01 00:00:00+00' + g * interval '1 day' FROM generate_series(1, 50) AS g;
INSERT INTO public.events (created_at, kind, payload)
SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '3 hours', (ARRAY['signup', 'login', 'purchase'])[1 + g % 3],
       CASE WHEN g % 5 = 0 THEN NULL ELSE jsonb_build_object('n', g) END
FROM generate_series(1, 7000) AS g;
