--
-- PostgreSQL database dump
--

\restrict Xl3Ogi3ndphvTevZ6EDHKDHVUzV3mp1rfIzfcpgJYvOOGz3ylS1gCMUCLopN6Qj

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = off;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET escape_string_warning = off;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

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
-- Data for Name: _prisma_migrations; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public._prisma_migrations VALUES ('0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01', '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', '2026-01-16 14:27:56.123456+00', '20260116142700_init', NULL, NULL, '2026-01-16 14:27:56.012+00', 1);
INSERT INTO public._prisma_migrations VALUES ('7d3f8c2a-9b41-4e6d-8f21-3c5e9a7b1d02', '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae', NULL, '20260117093000_add_spend_logs', 'Database error code: 42P07

Database error:
ERROR: relation "LiteLLM_SpendLogs" already exists
DbError { message: "relation \\"x\\" exists", file: Some("heap.c") }
	at C:\\app\\x.rs:106
[31mred[0m ünïcødé € 日本 | a, b; ''q''
\\N is not NULL here
last line', NULL, '2026-01-17 09:30:00+00', 0);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000003', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9', '2026-01-18 00:00:00+00', '20260118000000_baseline', '', NULL, '2026-01-18 00:00:00+00', 0);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000004', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9', NULL, '20260119000000_rolled', 'Database error code: 23505', '2026-01-19 12:05:00.00001+00', '2026-01-19 12:00:00.5+00', 0);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000005', '0000000000000000000000000000000000000000000000000000000000000000', NULL, '20260120000000_interrupted', NULL, NULL, '2026-01-20 08:00:00.000001+00', 1);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000006', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '1850-01-01 00:00:00+00', '18500101000000_old', NULL, NULL, '1850-01-01 00:00:00+00', 1);


--
-- Name: _prisma_migrations _prisma_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public._prisma_migrations
    ADD CONSTRAINT _prisma_migrations_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict Xl3Ogi3ndphvTevZ6EDHKDHVUzV3mp1rfIzfcpgJYvOOGz3ylS1gCMUCLopN6Qj

