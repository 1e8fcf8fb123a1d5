CREATE TABLE `generation_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`generation_id` text NOT NULL,
	`provider` text NOT NULL,
	`endpoint` text NOT NULL,
	`first_index` integer NOT NULL,
	`count` integer NOT NULL,
	`status` text NOT NULL,
	`request_id` text,
	`delivered` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`generation_id`) REFERENCES `generations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "task_status_known" CHECK("generation_tasks"."status" IN ('pending', 'submitted', 'succeeded', 'failed', 'canceled')),
	CONSTRAINT "task_delivers_within_count" CHECK("generation_tasks"."delivered" >= 0 AND "generation_tasks"."delivered" <= "generation_tasks"."count")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `generation_tasks_request` ON `generation_tasks` (`provider`,`request_id`);--> statement-breakpoint
CREATE INDEX `generation_tasks_generation` ON `generation_tasks` (`generation_id`);--> statement-breakpoint
CREATE INDEX `generation_tasks_open` ON `generation_tasks` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `generations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`model_id` text NOT NULL,
	`operation` text DEFAULT 'generate' NOT NULL,
	`status` text NOT NULL,
	`prompt` text NOT NULL,
	`batch` integer NOT NULL,
	`resolution` text NOT NULL,
	`aspect_ratio` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`params` text NOT NULL,
	`credits_per_image` integer NOT NULL,
	`hold_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_hash` text NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "generation_status_known" CHECK("generations"."status" IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'canceled')),
	CONSTRAINT "generation_batch_range" CHECK("generations"."batch" BETWEEN 1 AND 12)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `generations_idempotency` ON `generations` (`user_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `generations_user` ON `generations` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `generations_open` ON `generations` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `pins` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`image_ids` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pin_kind_known" CHECK("pins"."kind" IN ('character', 'product'))
);
--> statement-breakpoint
CREATE INDEX `pins_user` ON `pins` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `provider_events` (
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provider_events_once` ON `provider_events` (`provider`,`event_id`);