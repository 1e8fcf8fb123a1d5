CREATE TABLE `creator_earnings` (
	`id` text PRIMARY KEY NOT NULL,
	`creator_id` text NOT NULL,
	`style_id` text NOT NULL,
	`license_id` text NOT NULL,
	`image_id` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`creator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`style_id`) REFERENCES `styles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`license_id`) REFERENCES `licenses`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "earning_amount_positive" CHECK("creator_earnings"."amount" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `creator_earnings_license_id_unique` ON `creator_earnings` (`license_id`);--> statement-breakpoint
CREATE INDEX `creator_earnings_creator` ON `creator_earnings` (`creator_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `moderation_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`style_id` text NOT NULL,
	`version` integer NOT NULL,
	`moderator_id` text NOT NULL,
	`decision` text NOT NULL,
	`reason` text,
	`note` text,
	`decided_at` text NOT NULL,
	FOREIGN KEY (`style_id`) REFERENCES `styles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`moderator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "moderation_decision_known" CHECK("moderation_reviews"."decision" IN ('accepted', 'rejected')),
	CONSTRAINT "moderation_reason_known" CHECK("moderation_reviews"."reason" IS NULL OR "moderation_reviews"."reason" IN ('terms', 'inconsistent_style', 'copyright')),
	CONSTRAINT "moderation_rejection_has_reason" CHECK("moderation_reviews"."decision" = 'accepted' OR "moderation_reviews"."reason" IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `moderation_reviews_once` ON `moderation_reviews` (`style_id`,`version`);--> statement-breakpoint
CREATE TABLE `quiz_results` (
	`style_id` text NOT NULL,
	`version` integer NOT NULL,
	`average` real NOT NULL,
	`outcome` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`style_id`) REFERENCES `styles`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "quiz_outcome_known" CHECK("quiz_results"."outcome" IN ('pass', 'retrain'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_results_once` ON `quiz_results` (`style_id`,`version`);--> statement-breakpoint
CREATE TABLE `quiz_samples` (
	`style_id` text NOT NULL,
	`version` integer NOT NULL,
	`image_id` text NOT NULL,
	`prompt` text NOT NULL,
	`position` integer NOT NULL,
	`score` integer,
	`scored_at` text,
	FOREIGN KEY (`style_id`) REFERENCES `styles`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "quiz_score_range" CHECK("quiz_samples"."score" IS NULL OR "quiz_samples"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_samples_once` ON `quiz_samples` (`style_id`,`version`,`image_id`);--> statement-breakpoint
CREATE TABLE `style_usage` (
	`style_id` text NOT NULL,
	`user_id` text NOT NULL,
	`first_at` text NOT NULL,
	FOREIGN KEY (`style_id`) REFERENCES `styles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `style_usage_once` ON `style_usage` (`style_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `style_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`style_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`images` text NOT NULL,
	`provider` text NOT NULL,
	`request_id` text,
	`hold_id` text,
	`idempotency_key` text,
	`progress` real,
	`weights` text,
	`components` text,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`style_id`) REFERENCES `styles`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "style_version_status_known" CHECK("style_versions"."status" IN ('training', 'succeeded', 'failed', 'canceled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `style_versions_once` ON `style_versions` (`style_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `style_versions_request` ON `style_versions` (`provider`,`request_id`);--> statement-breakpoint
CREATE INDEX `style_versions_open` ON `style_versions` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `training_images` (
	`set_id` text NOT NULL,
	`image_id` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`sha256` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`set_id`) REFERENCES `training_sets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`image_id`) REFERENCES `images`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `training_images_once` ON `training_images` (`set_id`,`image_id`);--> statement-breakpoint
CREATE INDEX `training_images_set` ON `training_images` (`set_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `training_sets` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `training_sets_owner` ON `training_sets` (`owner_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `styles` ADD `training_set_id` text;--> statement-breakpoint
ALTER TABLE `styles` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `styles` ADD `weights` text;--> statement-breakpoint
ALTER TABLE `styles` ADD `free_retrain` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `styles` ADD `title` text;--> statement-breakpoint
ALTER TABLE `styles` ADD `title_image_id` text;--> statement-breakpoint
ALTER TABLE `styles` ADD `example_image_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `styles` ADD `copyright_status` text CONSTRAINT "style_copyright_known" CHECK("copyright_status" IS NULL OR "copyright_status" IN ('own_work', 'licensed', 'public_domain'));--> statement-breakpoint
ALTER TABLE `styles` ADD `submitted_at` text;--> statement-breakpoint
ALTER TABLE `styles` ADD `published_at` text;--> statement-breakpoint
ALTER TABLE `styles` ADD `distinct_users` integer DEFAULT 0 NOT NULL CONSTRAINT "style_users_not_negative" CHECK("distinct_users" >= 0);--> statement-breakpoint
ALTER TABLE `styles` ADD `invited_at` text;--> statement-breakpoint
ALTER TABLE `styles` ADD `verified_at` text;--> statement-breakpoint
CREATE INDEX `styles_owner` ON `styles` (`owner_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `bio` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `avatar_image_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `links` text DEFAULT '[]' NOT NULL;