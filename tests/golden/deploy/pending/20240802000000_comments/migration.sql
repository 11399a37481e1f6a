-- Text psql must not read: it reaches the server inside dollar quotes.
/*
\! touch migdoctor-pwned
\set x :y
$migdoctor_sql$ ends nothing here
*/
CREATE TABLE "Proxy_Notes" (
    "id" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT 'a\b :x',

    CONSTRAINT "Proxy_Notes_pkey" PRIMARY KEY ("id")
);
-- ends with the start of a tag: $migdoctor_sql