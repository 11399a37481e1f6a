--
-- PostgreSQL database dump
--

\restrict NkGJdUzzw2Ks0KW5DT3ixVJ2QonLBegb3N9Nzafzpv63kVPMmVUFFIDsBgnqLfp

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
-- Name: Tenant One; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Tenant One";


ALTER SCHEMA "Tenant One" OWNER TO postgres;

--
-- Name: UserRole; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public."UserRole" AS ENUM (
    'ADMIN',
    'USER'
);


ALTER TYPE public."UserRole" OWNER TO postgres;

--
-- Name: touch(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW."startTime" := now(); -- a ';' inside a dollar-quoted body
  RETURN NEW;
END $$;


ALTER FUNCTION public.touch() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: _prisma_migrations; Type: TABLE; Schema: Tenant One; Owner: postgres
--

CREATE TABLE "Tenant One"._prisma_migrations (
    id character varying(36) NOT NULL,
    checksum character varying(64) NOT NULL,
    finished_at timestamp with time zone,
    migration_name character varying(255) NOT NULL,
    logs text,
    rolled_back_at timestamp with time zone,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_steps_count integer DEFAULT 0 NOT NULL
);


ALTER TABLE "Tenant One"._prisma_migrations OWNER TO postgres;

--
-- Name: LiteLLM_SpendLogs; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public."LiteLLM_SpendLogs" (
    request_id text NOT NULL,
    "startTime" timestamp(3) without time zone NOT NULL,
    spend double precision DEFAULT 0.0,
    messages jsonb DEFAULT '{}'::jsonb
);


ALTER TABLE public."LiteLLM_SpendLogs" OWNER TO postgres;

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
-- Data for Name: _prisma_migrations; Type: TABLE DATA; Schema: Tenant One; Owner: postgres
--

COPY "Tenant One"._prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;
0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01	5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8	2026-01-16 20:12:56.123456+05:45	20260116142700_init	\N	\N	2026-01-16 20:12:56.012+05:45	1
a1b2c3d4-0000-4000-8000-000000000003	fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9	2026-01-18 05:45:00+05:45	20260118000000_baseline		\N	2026-01-18 05:45:00+05:45	0
\.


--
-- Data for Name: LiteLLM_SpendLogs; Type: TABLE DATA; Schema: public; Owner: postgres
--

COYP public."LiteLLM_SpendLogs" (request_id, "startTime", spend, messages) FROM stdin;
req-1	2026-01-01 00:00:01	0.001	{"n": 1, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-2	2026-01-01 00:00:02	0.002	{"n": 2, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-3	2026-01-01 00:00:03	0.003	{"n": 3, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-4	2026-01-01 00:00:04	0.004	{"n": 4, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-5	2026-01-01 00:00:05	0.005	{"n": 5, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-6	2026-01-01 00:00:06	0.006	{"n": 6, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-7	2026-01-01 00:00:07	0.007	{"n": 7, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-8	2026-01-01 00:00:08	0.008	{"n": 8, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-9	2026-01-01 00:00:09	0.009	{"n": 9, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-10	2026-01-01 00:00:10	0.01	{"n": 10, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-11	2026-01-01 00:00:11	0.011	{"n": 11, , migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;
0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01	5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8	2026-01-16 20:12:56.123456+05:45	20260116142700_init	\N	\N	2026-01-16 20:12:56.012+05:45	1
a1b2c3d4-0000-4000-8000-000000000003	fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9	2026-01-18 05:45:00+05:45	20260118000000_baseline		\N	2026-01-18 05:45:00+05:45	0
\.


--
-- Data for Name: LiteLLM_SpendLogs; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public."LiteLLM_SpendLogs" (request_id, "startTime", spend, messages) FROM stdin;
req-1	2026-01-01 00:00:01	0.001	{"n": 1, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-2	2026-01-01 00:00:02	0.002	{"n": 2, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-3	2026-01-01 00:00:03	0.003	{"n": 3, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-4	2026-01-01 00:00:04	0.004	{"n": 4, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-5	2026-01-01 00:00:05	0.0000:24	0.024	{"n": 24, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-25	2026-01-01 00:00:25	0.025	{"n": 25, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-26	2026-01-01 00:00:26	0.026	{"n": 26, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-27	2026-01-01 00:00:27	0.027	{"n": 27, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-28	2026-01-01 00:00:28	0.028	{"n": 28, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-29	2026-01-01 00:00:29	0.029	{"n": 29, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-30	2026-01-01 00:00:30	0.03	{"n": 30, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-31	2026-01-01 00:00:31	0.031	{"n": 31, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-32	2026-01-01 00:00:32	0.032	{"n": 32, "text": "a\\tb\\\\c \\"q\\"\\n;"}
req-33	2026-01-01 00:00:33	0.03