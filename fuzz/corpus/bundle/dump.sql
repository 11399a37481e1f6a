--
-- PostgreSQL database dump
--

SET statement_timeout = 0;

CREATE TABLE public."LiteLLM_VerificationToken" (
    token text NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb
);

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

COPY public."LiteLLM_VerificationToken" (token, metadata) FROM stdin;
sk-1234	{"user": "a@b.example"}
sk-5678	\N
\.

COPY public._prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;
0c3a35d5-1b0c-4e0a-9a4e-1f2b3c4d5e6f	3e5f0c3a35d51b0c4e0a9a4e1f2b3c4d5e6f3e5f0c3a35d51b0c4e0a9a4e1f2b	2026-01-16 14:27:56.123456+00	20240101000000_init	\N	\N	2026-01-16 14:27:56.012+00	1
\.

INSERT INTO public."User" VALUES ('u1', 'x@y.example');
