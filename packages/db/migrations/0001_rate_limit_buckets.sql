CREATE TABLE `rate_limit_buckets` (
	`key` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`tokens` real NOT NULL,
	`updated_at_ms` integer NOT NULL
);
