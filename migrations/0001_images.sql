CREATE TABLE `images` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`kind` text NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`sha256` text NOT NULL,
	`r2_key` text NOT NULL,
	`source_url` text,
	`page_url` text,
	`page_title` text,
	`model_id` text,
	`generation_id` text,
	`task_id` text,
	`output_index` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "images_kind_known" CHECK("images"."kind" IN ('upload', 'generated'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `images_r2_key_unique` ON `images` (`r2_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `images_upload_once` ON `images` (`owner_id`,`sha256`) WHERE "images"."kind" = 'upload';--> statement-breakpoint
CREATE UNIQUE INDEX `images_output_once` ON `images` (`task_id`,`output_index`);--> statement-breakpoint
CREATE INDEX `images_owner` ON `images` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `images_generation` ON `images` (`generation_id`);