CREATE TABLE `rate_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`due` integer NOT NULL
);
