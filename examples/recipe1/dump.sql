--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: UserRole; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public."UserRole" AS ENUM (
    'ADMIN',
    'MEMBER',
    'VIEWER'
);


ALTER TYPE public."UserRole" OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Proxy_GuardrailsTable; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Proxy_GuardrailsTable" (
    guardrail_id text NOT NULL,
    guardrail_name text NOT NULL,
    litellm_params jsonb NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


ALTER TABLE public."Proxy_GuardrailsTable" OWNER TO postgres;

--
-- Name: Proxy_KeyTable; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Proxy_KeyTable" (
    token text NOT NULL,
    key_name text,
    user_id text,
    models text[],
    expires timestamp(3) without time zone,
    team_id text,
    max_budget double precision,
    budget_duration text
);


ALTER TABLE public."Proxy_KeyTable" OWNER TO postgres;

--
-- Name: Proxy_SpendLogs; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Proxy_SpendLogs" (
    request_id text NOT NULL,
    api_key text DEFAULT ''::text NOT NULL,
    spend double precision DEFAULT 0.0 NOT NULL,
    total_tokens bigint DEFAULT 0 NOT NULL,
    "startTime" timestamp(3) without time zone NOT NULL,
    "endTime" timestamp(3) without time zone NOT NULL,
    model text DEFAULT ''::text,
    team_id text
);


ALTER TABLE public."Proxy_SpendLogs" OWNER TO postgres;

--
-- Name: Proxy_TeamTable; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Proxy_TeamTable" (
    team_id text NOT NULL,
    team_alias text,
    admins text[],
    members text[],
    spend double precision DEFAULT 0.0 NOT NULL,
    blocked boolean DEFAULT false NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    guardrail_id text
);


ALTER TABLE public."Proxy_TeamTable" OWNER TO postgres;

--
-- Name: Proxy_UserTable; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Proxy_UserTable" (
    user_id text NOT NULL,
    user_email text,
    user_role public."UserRole" DEFAULT 'MEMBER'::public."UserRole" NOT NULL,
    spend double precision DEFAULT 0.0 NOT NULL,
    max_budget double precision,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp(3) without time zone NOT NULL
);


ALTER TABLE public."Proxy_UserTable" OWNER TO postgres;

--
-- Name: _prisma_migrations; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public._prisma_migrations (
    id character varying(36) NOT NULL,
    checksum character varying(64) NOT NULL,
    finished_at timestamp with time zone,
    migration_name character varying(255) NOT NULL,
    logs text,
    rolled_back_at timestamp with time zone,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_steps_count integer DEFAULT 0 NOT NULL
);


ALTER TABLE public._prisma_migrations OWNER TO postgres;

--
-- Data for Name: Proxy_GuardrailsTable; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public."Proxy_GuardrailsTable" (guardrail_id, guardrail_name, litellm_params, created_at) FROM stdin;
\.


--
-- Data for Name: Proxy_KeyTable; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public."Proxy_KeyTable" (token, key_name, user_id, models, expires, team_id, max_budget, budget_duration) FROM stdin;
\.


--
-- Data for Name: Proxy_SpendLogs; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public."Proxy_SpendLogs" (request_id, api_key, spend, total_tokens, "startTime", "endTime", model, team_id) FROM stdin;
\.


--
-- Data for Name: Proxy_TeamTable; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public."Proxy_TeamTable" (team_id, team_alias, admins, members, spend, blocked, created_at, guardrail_id) FROM stdin;
\.


--
-- Data for Name: Proxy_UserTable; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public."Proxy_UserTable" (user_id, user_email, user_role, spend, max_budget, metadata, created_at, updated_at) FROM stdin;
\.


--
-- Data for Name: _prisma_migrations; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public._prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;
2bc98b1e-2631-4215-a81f-79bee55779a7	8f33f518ffc8b647eea5df7dcaf4d7b65cc3d5708601140c584915e0d56e7635	2026-11-25 21:14:33.190818+00	20240101000000_init	\N	\N	2026-11-25 21:14:33.113679+00	1
bc75a399-1aac-4a40-8a55-1050027572a0	0308e1d8e724b0bc6cae05576a9fd430ddbbf5dae2dd0d2e68e579a844f3586b	2026-11-25 21:14:33.274875+00	20240115093000_add_team_table	\N	\N	2026-11-25 21:14:33.218993+00	1
cff8a6d8-3f74-4aa7-a9af-d46744deea59	2c72ca5abe7eba8c27263dc78d622c4184b2bd051102a50eb3726bf220929089	\N	20240715120000_deleted_team_routing_settings	A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: 20240715120000_deleted_team_routing_settings\n\nDatabase error code: 42P01\n\nDatabase error:\nERROR: relation "Proxy_DeletedTeamTable" does not exist\n\nDbError { severity: "ERROR", parsed_severity: Some(Error), code: SqlState(E42P01), message: "relation \\"Proxy_DeletedTeamTable\\" does not exist", detail: None, hint: None, position: None, where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some("namespace.c"), line: Some(433), routine: Some("RangeVarGetRelidExtended") }\n\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="20240715120000_deleted_team_routing_settings"\n             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:106\n   1: schema_core::commands::apply_migrations::Applying migration\n           with migration_name="20240715120000_deleted_team_routing_settings"\n             at schema-engine/core/src/commands/apply_migrations.rs:91\n   2: schema_core::state::ApplyMigrations\n             at schema-engine/core/src/state.rs:201	2026-11-25 21:14:35.406576+00	2026-11-25 21:14:34.897121+00	0
9ad52071-c426-470b-a8dc-37da3cf19ee4	425e712313f19c2ea2e85551e64d887b2b2c7f2f46d631b74d3d56631733ed0d	2026-11-25 21:14:33.375909+00	20240201120000_add_spend_logs	\N	\N	2026-11-25 21:14:33.291553+00	1
5d961d80-cb22-4006-a6af-049da4dcf730	14471cbcc2da9c7592f24582fe21b3ef8788e6cb4c7fe21d764c8b985f12d5c5	2026-11-25 21:14:33.459373+00	20240310080000_key_budget_and_enum_value	\N	\N	2026-11-25 21:14:33.391035+00	1
669bb575-ddf7-4612-b461-45cf3f26a5c2	59d4e5f26cd2fb6354af3ad9c1ae8a1ade60d090eadc9fe7531fb374736fc53d	2026-11-25 21:14:33.533723+00	20240402170000_idempotent_guardrails	\N	\N	2026-11-25 21:14:33.473287+00	1
3d997e50-a073-4b25-a3c5-eebccbe70ef8	569835446958b54d1cca9d94afc2159e28f507f0a93bd2055af6a8aa4d4803c6	2026-11-25 21:14:33.605316+00	20240520101500_user_email_lower_idx	\N	\N	2026-11-25 21:14:33.547456+00	1
a51d799d-6aa9-4664-9788-f06aa4d1a893	e300ee7b494a92494066d27622e9d2e43da2b64ead24ac990c1b2c1ab28a2faf	2026-11-25 21:14:33.696365+00	20240611090000_rename_alias_to_key_name	\N	\N	2026-11-25 21:14:33.633312+00	1
e2b988e2-c037-4073-937a-d2c5445bf94c	9606627c88a6507776350f734f95e08df7e6ea1cdfe338e52021bff1b4ca7b64	2026-11-25 21:14:33.764886+00	20240701000000_add_deleted_team_table	\N	\N	2026-11-25 21:14:33.713621+00	1
09018cb0-f76f-4d6e-a9cd-546d2793f3a0	2c72ca5abe7eba8c27263dc78d622c4184b2bd051102a50eb3726bf220929089	\N	20240715120000_deleted_team_routing_settings	A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: 20240715120000_deleted_team_routing_settings\n\nDatabase error code: 42P01\n\nDatabase error:\nERROR: relation "Proxy_DeletedTeamTable" does not exist\n\nDbError { severity: "ERROR", parsed_severity: Some(Error), code: SqlState(E42P01), message: "relation \\"Proxy_DeletedTeamTable\\" does not exist", detail: None, hint: None, position: None, where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some("namespace.c"), line: Some(433), routine: Some("RangeVarGetRelidExtended") }\n\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name="20240715120000_deleted_team_routing_settings"\n             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:106\n   1: schema_core::commands::apply_migrations::Applying migration\n           with migration_name="20240715120000_deleted_team_routing_settings"\n             at schema-engine/core/src/commands/apply_migrations.rs:91\n   2: schema_core::state::ApplyMigrations\n             at schema-engine/core/src/state.rs:201	2026-11-25 21:14:34.623683+00	2026-11-25 21:14:34.026804+00	0
\.


--
-- Name: Proxy_GuardrailsTable Proxy_GuardrailsTable_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_GuardrailsTable"
    ADD CONSTRAINT "Proxy_GuardrailsTable_pkey" PRIMARY KEY (guardrail_id);


--
-- Name: Proxy_KeyTable Proxy_KeyTable_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_KeyTable"
    ADD CONSTRAINT "Proxy_KeyTable_pkey" PRIMARY KEY (token);


--
-- Name: Proxy_SpendLogs Proxy_SpendLogs_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_SpendLogs"
    ADD CONSTRAINT "Proxy_SpendLogs_pkey" PRIMARY KEY (request_id);


--
-- Name: Proxy_TeamTable Proxy_TeamTable_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_TeamTable"
    ADD CONSTRAINT "Proxy_TeamTable_pkey" PRIMARY KEY (team_id);


--
-- Name: Proxy_UserTable Proxy_UserTable_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_UserTable"
    ADD CONSTRAINT "Proxy_UserTable_pkey" PRIMARY KEY (user_id);


--
-- Name: _prisma_migrations _prisma_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public._prisma_migrations
    ADD CONSTRAINT _prisma_migrations_pkey PRIMARY KEY (id);


--
-- Name: Proxy_GuardrailsTable_guardrail_name_key; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX "Proxy_GuardrailsTable_guardrail_name_key" ON public."Proxy_GuardrailsTable" USING btree (guardrail_name);


--
-- Name: Proxy_SpendLogs_startTime_model_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX "Proxy_SpendLogs_startTime_model_idx" ON public."Proxy_SpendLogs" USING btree ("startTime", model);


--
-- Name: Proxy_UserTable_user_email_key; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX "Proxy_UserTable_user_email_key" ON public."Proxy_UserTable" USING btree (user_email);


--
-- Name: Proxy_UserTable_user_email_lower_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX "Proxy_UserTable_user_email_lower_idx" ON public."Proxy_UserTable" USING btree (lower(user_email));


--
-- Name: Proxy_KeyTable Proxy_KeyTable_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_KeyTable"
    ADD CONSTRAINT "Proxy_KeyTable_team_id_fkey" FOREIGN KEY (team_id) REFERENCES public."Proxy_TeamTable"(team_id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: Proxy_KeyTable Proxy_KeyTable_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_KeyTable"
    ADD CONSTRAINT "Proxy_KeyTable_user_id_fkey" FOREIGN KEY (user_id) REFERENCES public."Proxy_UserTable"(user_id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: Proxy_TeamTable Proxy_TeamTable_guardrail_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_TeamTable"
    ADD CONSTRAINT "Proxy_TeamTable_guardrail_fkey" FOREIGN KEY (guardrail_id) REFERENCES public."Proxy_GuardrailsTable"(guardrail_id) ON DELETE SET NULL;


--
-- PostgreSQL database dump complete
--


