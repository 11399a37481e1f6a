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
-- Name: Proxy_DeletedTeamTable; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."Proxy_DeletedTeamTable" (
    id text NOT NULL,
    team_id text NOT NULL,
    team_alias text,
    spend double precision DEFAULT 0.0 NOT NULL,
    deleted_at timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    deleted_by text,
    router_settings jsonb DEFAULT '{}'::jsonb
);


ALTER TABLE public."Proxy_DeletedTeamTable" OWNER TO postgres;

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
    guardrail_id text,
    router_settings jsonb DEFAULT '{}'::jsonb
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
-- Name: handmade_audit; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.handmade_audit (
    id integer
);


ALTER TABLE public.handmade_audit OWNER TO postgres;

--
-- Data for Name: Proxy_DeletedTeamTable; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public."Proxy_DeletedTeamTable" (id, team_id, team_alias, spend, deleted_at, deleted_by, router_settings) FROM stdin;
\.


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

COPY public."Proxy_TeamTable" (team_id, team_alias, admins, members, spend, blocked, created_at, guardrail_id, router_settings) FROM stdin;
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
02a946d5-4da9-4f9a-80aa-488597a4bb91	8f33f518ffc8b647eea5df7dcaf4d7b65cc3d5708601140c584915e0d56e7635	2026-11-25 22:27:47.509275+00	20240101000000_init	\N	\N	2026-11-25 22:27:47.477134+00	1
51238b3c-5322-4278-96de-507bc7f33c33	0308e1d8e724b0bc6cae05576a9fd430ddbbf5dae2dd0d2e68e579a844f3586b	2026-11-25 22:27:47.544634+00	20240115093000_add_team_table	\N	\N	2026-11-25 22:27:47.515474+00	1
f4dfbcea-d670-46d0-a5a2-636769ca306d	425e712313f19c2ea2e85551e64d887b2b2c7f2f46d631b74d3d56631733ed0d	2026-11-25 22:27:47.57991+00	20240201120000_add_spend_logs	\N	\N	2026-11-25 22:27:47.550666+00	1
d5e165db-86a9-44c5-ac69-aa009fd75e9d	14471cbcc2da9c7592f24582fe21b3ef8788e6cb4c7fe21d764c8b985f12d5c5	2026-11-25 22:27:47.615727+00	20240310080000_key_budget_and_enum_value	\N	\N	2026-11-25 22:27:47.585595+00	1
1d329109-8501-46dd-93bc-a5550626e7f3	59d4e5f26cd2fb6354af3ad9c1ae8a1ade60d090eadc9fe7531fb374736fc53d	2026-11-25 22:27:47.653324+00	20240402170000_idempotent_guardrails	\N	\N	2026-11-25 22:27:47.622277+00	1
75e5f6dc-1c96-4435-b964-13e077f89a95	569835446958b54d1cca9d94afc2159e28f507f0a93bd2055af6a8aa4d4803c6	2026-11-25 22:27:47.686874+00	20240520101500_user_email_lower_idx	\N	\N	2026-11-25 22:27:47.658622+00	1
eea8dd19-f595-4b74-be79-2fe7955090fb	e300ee7b494a92494066d27622e9d2e43da2b64ead24ac990c1b2c1ab28a2faf	2026-11-25 22:27:47.729016+00	20240611090000_rename_alias_to_key_name	\N	\N	2026-11-25 22:27:47.693293+00	1
7dbe7ccb-d512-4a59-a966-dd2d1e060c47	9606627c88a6507776350f734f95e08df7e6ea1cdfe338e52021bff1b4ca7b64	2026-11-25 22:27:47.76591+00	20240701000000_add_deleted_team_table	\N	\N	2026-11-25 22:27:47.735606+00	1
cd9bcd1c-978b-4adb-b363-c96f0b76a159	2c72ca5abe7eba8c27263dc78d622c4184b2bd051102a50eb3726bf220929089	2026-11-25 22:27:47.799269+00	20240715120000_deleted_team_routing_settings	\N	\N	2026-11-25 22:27:47.771578+00	1
\.


--
-- Data for Name: handmade_audit; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.handmade_audit (id) FROM stdin;
\.


--
-- Name: Proxy_DeletedTeamTable Proxy_DeletedTeamTable_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public."Proxy_DeletedTeamTable"
    ADD CONSTRAINT "Proxy_DeletedTeamTable_pkey" PRIMARY KEY (id);


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
-- Name: Proxy_DeletedTeamTable_deleted_at_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX "Proxy_DeletedTeamTable_deleted_at_idx" ON public."Proxy_DeletedTeamTable" USING btree (deleted_at);


--
-- Name: Proxy_DeletedTeamTable_team_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX "Proxy_DeletedTeamTable_team_id_idx" ON public."Proxy_DeletedTeamTable" USING btree (team_id);


--
-- Name: Proxy_GuardrailsTable_guardrail_name_key; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX "Proxy_GuardrailsTable_guardrail_name_key" ON public."Proxy_GuardrailsTable" USING btree (guardrail_name);


--
-- Name: Proxy_SpendLogs_startTime_model_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX "Proxy_SpendLogs_startTime_model_idx" ON public."Proxy_SpendLogs" USING btree ("startTime", model);


--
-- Name: Proxy_TeamTable_alias_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX "Proxy_TeamTable_alias_idx" ON public."Proxy_TeamTable" USING btree (team_alias);


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


