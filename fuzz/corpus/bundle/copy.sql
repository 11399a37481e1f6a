COPY public._prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;
0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01	5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8	2026-01-16 20:12:56.123456+05:45	20260116142700_init	\N	\N	2026-01-16 20:12:56.012+05:45	1
7d3f8c2a-9b41-4e6d-8f21-3c5e9a7b1d02	2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae	\N	20260117093000_add_spend_logs	Database error code: 42P07\n\nDatabase error:\nERROR: relation "LiteLLM_SpendLogs" already exists\nDbError { message: "relation \\"x\\" exists", file: Some("heap.c") }\n\tat C:\\app\\x.rs:106\r\n[31mred[0m ünïcødé € 日本 | a, b; 'q'\n\\N is not NULL here\nlast line	\N	2026-01-17 15:15:00+05:45	0
a1b2c3d4-0000-4000-8000-000000000003	fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9	2026-01-18 05:45:00+05:45	20260118000000_baseline		\N	2026-01-18 05:45:00+05:45	0
a1b2c3d4-0000-4000-8000-000000000004	fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9	\N	20260119000000_rolled	Database error code: 23505	2026-01-19 17:50:00.00001+05:45	2026-01-19 17:45:00.5+05:45	0
a1b2c3d4-0000-4000-8000-000000000005	0000000000000000000000000000000000000000000000000000000000000000	\N	20260120000000_interrupted	\N	\N	2026-01-20 13:45:00.000001+05:45	1
a1b2c3d4-0000-4000-8000-000000000006	ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff	1850-01-01 05:41:16+05:41:16	18500101000000_old	\N	\N	1850-01-01 05:41:16+05:41:16	1
\.


--
-- Name: _prisma_migrations _prisma_migrations_pkey; Type: CONSTRAINT; Schema: Tenant One; Owner: postgres
--
