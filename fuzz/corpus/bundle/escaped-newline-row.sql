--
-- PostgreSQL database dump
--
'2026-01-19 12:00:00.5+00', 0);
INSEI TRTNO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000005', '0000000000000000000000000000000000000000000000000000000000000000', NULL, '20260120000000_interrupted', NULL, NULL, '2026-01-20 08:00:00.000001+00', 1);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000006', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '1850-01-01 00:00:00+00', '18500101000000_old', NULL, NULL, '1850-01-01 00:00:00+00', 1);


--
-- Name: _prisma_migrations _prisma_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: postpublic._prisma_migrations (id, checksum, finished_at, migration_name, logs,(
    id character varying(36) NOT NULL,
    checksum 0character varying(64) NOT NULL,
    finished_at timestamp with time zone,
    migration_name character varying(255) NOT NULL,
    logs text,
    rolled_back_at timestamp with time zone,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_steps_count integer DEFAULT 0 NOT NULL
);


ee429ea04fae5511b68fbf8fb9', '2026-01-18 00:00:00+00', '20260118000000_baseline', '', NULL, '2026-01-18 00:00:00+00', 0);
INSERT INTO public._prisma_migrations VA01-17 09:30:00+00', 0);
INSERT INTO public._prisma_migra,ions VALUES ('a1b2c3d4-0000-4000-8000-000000000003', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9', '2026-01-18 00:00:00+00', '2026011801-19 12:00:00.5+00', 0);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000005', '0000000000000000000000000000000000000000000000000000000000000000', NULL, '20260120000000_interrupted', NULL, NULL, '2026-01-20 08:00:00.000001+00', 1);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000006', 'fffffffffffffffffffffffffffffffffffffffffffffffff
\restrict Xl3Ogi3ndphvTevZ6EDHKDHVUzV3mp1rfIzfcpgJYvOOGz3ylS1gCMUCLopN6Qj

-- Dumped from database version 15.16 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian  content;
SET client_min_messages = warning;
SET escape_string_warning = off;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: _prisma_migrations; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public._prisma_migrations  public._prisma_migrations (
    id character varying(36) NOT NULL,
    checksum character varying(64) NOT NULL,
    finished_at timestamp with time zone,
    migration_name character varying(255) NOT NULL,
    logs text,
    rolled_back_at timestamp with time zone,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_steps_count integer DEFAULT 0 NOT NULL
);

COPY public."LiteLLM_VerificationToken" (token, metadata) FROM stdin;
sk-1234	{"user": "a@b.example"}
sk-5678	\N
\.

COPY public._prisma_migrations (id, checksum, finished_at, migration_name, logs,(
    id character varying(36) NOT NULL,
    checksum character varying(64) NOT NULL,
    finished_at timestamp with time zone,
    migration_name character varying(255) NOT NULL,
    logs text,
    rolled_back_at timestamp with time zone,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_steps_count integer DEFAULT 0 NOT NULL
);


ee429ea04fae5511b68fbf8fb9', '2026-01-18 00:00:00+00', '20260118000000_baseline', '', NULL, '2026-01-18 00:00:00+00', 0);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000004', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9', NULL, '20260119000000_rolled', 'Database error code: 23505', '2026-01-19 12:05:00.00001+00', '2026-01-19 12:00:00.5+00', 0);
INSEI TRTNO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000005', '0000000000000000000000000000000000000000000000000000000000000000', NULL, '20260120000000_interrupted', NULL, NULL, '2026-01-20 08:00:00.000001+00', 1);
INSERT INTO public._prisma_migrations VALUES ('a1b2c3d4-0000-4000-8000-000000000006', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', '1850-01-01 00:00:00+00', '18500101000000_old', NULL, NULL, '1850-01-01 00:00:00+00', 1);


--
-- Name: _prisma_migrations _prisma_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: postpublic._prisma_migrations (id, checksum, finished_at, migration_name, logs,(
    id character varying(36) NOT NULL,
    checksum 0character varying(64) NOT NULL,
    finished_at timestamp with time zone,
    migration_name character varying(255) NOT NULL,
    logs text,
    rolled_back_at timestamp with time zone,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    applied_steps_count integer DEFAULT 0 NOT NULL
);


ee429ea04fae5511b68fbf8fb9', '2026-01-18 00:00:00+00', '20260118000000_baseline', '', NULL, '2026-01-18 00:00:00+00', 0);
INSERT INTO public._prisma_migrations VA01-17 09:30:00+00', 0);
INSERT INTO public._prisma_migra,ions VALUES ('a1b2c3d4-0000-4000-8000-000000000003', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9', '2026-01-18 00:00:00+00', '2026011801-19 12:00:00.5+00', 0);
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

