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


